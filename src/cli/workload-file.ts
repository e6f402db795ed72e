// `overseer run <file>`: a workload described in YAML or JSON (agents with simulated work
// durations, tasks or generators of them, QoS classes and online batches, fault rates, a
// failure tolerance), validated with errors that name the field and its line. The format
// is described in docs/guide-workloads.md.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { WorkloadError } from '../errors/index.js';
import type { SimAgent, SimBatch, SimulationOptions } from '../testing/simulate.js';
import { batchesOf, batchProblems, batchSchema } from './workload-batches.js';
import { workloadProblems } from './workload-problems.js';

const range = z
  .object({ min: z.number().min(0), max: z.number().min(0) })
  .refine((r) => r.max >= r.min, 'max must be >= min');
const agent = z.strictObject({
  id: z.string().min(1),
  replicas: z.number().int().min(1).optional(),
  capabilities: z.array(z.string().min(1)).optional(),
  resources: z.record(z.string(), z.number().min(0)).optional(),
  concurrency: z.number().int().min(1).optional(),
  workMs: z.union([z.number().min(0), range]).optional(),
});
// QoS classes as createSystem takes them; which class names which is checked there.
const qosClass = z.strictObject({
  sloMs: z.number().positive(),
  weight: z.number().positive().optional(),
  queueCap: z.number().int().min(1).optional(),
  overload: z
    .union([z.literal('reject'), z.strictObject({ degradeTo: z.string().min(1) })])
    .optional(),
});
const qosOptions = z.strictObject({
  classes: z.record(z.string().min(1), qosClass),
  default: z.string().min(1),
});
const taskGroup = z.strictObject({
  type: z.string().min(1),
  count: z.number().int().min(1).default(1),
  priority: z
    .union([
      z.number().int().min(0),
      z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }),
    ])
    .optional(),
  capabilities: z.array(z.string().min(1)).optional(),
  resources: z.record(z.string(), z.number().min(0)).optional(),
  timeoutMs: z.number().positive().optional(),
  /** A QoS class of `system.qos` (docs/qos.md). */
  qos: z.string().min(1).optional(),
  /** Submit the group as online batches (workload-batches.ts). Default: all at time 0, one by one. */
  batch: batchSchema.optional(),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1),
      backoffMs: z.number().min(0).default(100),
    })
    .optional(),
});
export const workloadSchema = z
  .strictObject({
    seed: z.number().int().default(1),
    untilMs: z.number().positive().default(3_600_000),
    agents: z.array(agent).min(1),
    tasks: z.array(taskGroup).min(1),
    faults: z
      .strictObject({
        rates: z.partialRecord(
          z.enum(['throw', 'throw-fatal', 'hang', 'silent', 'crash', 'slow', 'invalid-output']),
          z.number().min(0).max(1),
        ),
      })
      .optional(),
    tolerance: z.strictObject({ maxFailed: z.number().int().min(0) }).default({ maxFailed: 0 }),
    system: z
      .strictObject({
        heartbeatTimeoutMs: z.number().positive().optional(),
        heartbeatIntervalMs: z.number().positive().optional(),
        qos: qosOptions.optional(),
      })
      .optional(),
  })
  .superRefine((workload, ctx) => {
    workload.tasks.forEach((group, g) => {
      for (const { path, message } of batchProblems(group, workload.untilMs))
        ctx.addIssue({ code: 'custom', path: ['tasks', g, ...path], message });
    });
  });
export type Workload = z.infer<typeof workloadSchema>;

/** Reads and validates a workload file; every problem names `file:line:col field`. */
export function readWorkload(path: string): Workload {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new WorkloadError([`${path}: cannot read: ${(error as Error).message}`]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new WorkloadError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${path}:${pos ? `${pos.line}:${pos.col}` : '?'} ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const parsed = workloadSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  throw new WorkloadError(workloadProblems(path, workloadSchema, parsed.error.issues, doc, lines));
}

/**
 * The simulation a workload describes: task groups expanded, priorities drawn per task;
 * a group with `batch` arrives as its batches, the rest at time 0.
 */
export function simulationOf(workload: Workload): SimulationOptions {
  let n = 0;
  const batches: SimBatch[] = [];
  const groupSpecs = (group: Workload['tasks'][number]) =>
    Array.from({ length: group.count }, () => {
      const i = n++;
      const priority =
        typeof group.priority === 'object'
          ? group.priority.min + (i % (group.priority.max - group.priority.min + 1))
          : (group.priority ?? 0);
      return {
        type: group.type,
        priority,
        ...(group.capabilities ? { capabilities: group.capabilities } : {}),
        ...(group.resources ? { resources: group.resources } : {}),
        ...(group.timeoutMs ? { timeoutMs: group.timeoutMs } : {}),
        ...(group.qos ? { qos: group.qos } : {}),
        ...(group.retry
          ? {
              retry: {
                maxAttempts: group.retry.maxAttempts,
                backoff: { kind: 'fixed' as const, delayMs: group.retry.backoffMs },
              },
            }
          : {}),
      };
    });
  const tasks = workload.tasks.flatMap((group) => {
    const specs = groupSpecs(group);
    if (!group.batch) return specs;
    batches.push(...batchesOf(specs, group.batch, group.qos));
    return [];
  });
  return {
    seed: workload.seed,
    untilMs: workload.untilMs,
    // zod leaves absent keys undefined; the system's options want them absent.
    agents: workload.agents.map(
      (agent) =>
        Object.fromEntries(
          Object.entries(agent).filter(([, v]) => v !== undefined),
        ) as unknown as SimAgent,
    ),
    tasks,
    ...(batches.length > 0 ? { batches } : {}),
    ...(workload.faults ? { faults: workload.faults } : {}),
    ...(workload.system
      ? {
          system: Object.fromEntries(
            Object.entries(workload.system).filter(([, v]) => v !== undefined),
          ),
        }
      : {}),
  };
}
