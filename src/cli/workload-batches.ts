// Online batches in a workload file: a task group with `batch: { size, deadlineMs, everyMs,
// startMs }` is submitted as batches of `size` tasks, one every `everyMs` from `startMs`,
// each with the group's QoS class and a deadline `deadlineMs` after its submit: the specs
// `submitBatch` makes (batchSpecs), so a batch's tasks are due together.
import { z } from 'zod';
import { batchSpecs } from '../tasks/task-batch.js';
import type { TaskSpec } from '../tasks/task-spec.js';

export const batchSchema = z.strictObject({
  /** Tasks a batch; the group's last batch takes what is left. */
  size: z.number().int('must be a whole number of tasks').min(1, 'must be at least 1 task a batch'),
  /** Each task must finish within this of its batch's submit, in ms, or it fails. Default: none. */
  deadlineMs: z.number().positive('must be a duration in ms above 0').optional(),
  /** Simulated ms between one batch's submit and the next's. Default 0: all at `startMs`. */
  everyMs: z.number().min(0, 'must be a duration in ms, 0 or more').default(0),
  /** Simulated ms of the first batch's submit. Default 0. */
  startMs: z.number().min(0, 'must be a time in ms, 0 or more').default(0),
});
export type WorkloadBatch = z.infer<typeof batchSchema>;

/**
 * Where a group's batches break a rule that needs the rest of the file; one problem each.
 * Runs on the file as parsed so far: a value already refused is left to its own problem.
 */
export function batchProblems(
  group: { readonly count: unknown; readonly batch?: unknown },
  untilMs: unknown,
): { path: (string | number)[]; message: string }[] {
  const parsed = batchSchema.safeParse(group.batch);
  const count = group.count;
  if (!parsed.success || !Number.isInteger(count) || (count as number) < 1) return [];
  const batch = parsed.data;
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (batch.size > (count as number))
    problems.push({
      path: ['batch', 'size'],
      message: `${batch.size} tasks a batch is more than the group's count (${count})`,
    });
  const lastAtMs = lastBatchAtMs(count as number, batch);
  if (typeof untilMs === 'number' && lastAtMs >= untilMs)
    problems.push({
      path: ['batch', batch.everyMs > 0 ? 'everyMs' : 'startMs'],
      message: `the last batch would be submitted at ${lastAtMs} ms, not before untilMs (${untilMs} ms)`,
    });
  return problems;
}

/** A timed submission of one task, as `simulate`'s `arrivals` take it. */
export interface Arrival {
  readonly atMs: number;
  readonly spec: TaskSpec;
}

/** The group's tasks cut into batches, each task timed at its batch's submit. */
export function batchArrivals(
  specs: readonly TaskSpec[],
  batch: WorkloadBatch,
  qos: string | undefined,
): Arrival[] {
  const arrivals: Arrival[] = [];
  for (let k = 0; k * batch.size < specs.length; k++) {
    const atMs = batch.startMs + k * batch.everyMs;
    const options = {
      ...(qos === undefined ? {} : { qos }),
      ...(batch.deadlineMs === undefined ? {} : { deadline: atMs + batch.deadlineMs }),
    };
    const chunk = specs.slice(k * batch.size, (k + 1) * batch.size);
    for (const spec of batchSpecs(chunk, options, atMs)) arrivals.push({ atMs, spec });
  }
  return arrivals;
}

const lastBatchAtMs = (count: number, batch: WorkloadBatch) =>
  batch.startMs + (Math.ceil(count / batch.size) - 1) * batch.everyMs;
