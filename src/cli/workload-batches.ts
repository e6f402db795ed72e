// Online batches in a workload file: a task group with `batch: { size, deadlineMs, everyMs,
// startMs }` is submitted as batches of `size` tasks, one every `everyMs` from `startMs`,
// each with the group's QoS class and a deadline `deadlineMs` after its submit, whole with
// `submitBatch` (accepted whole or not at all), so a batch's tasks are due together.
import { z } from 'zod';
import type { TaskSpec } from '../tasks/task-spec.js';
import type { SimBatch } from '../testing/simulate.js';

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

/** The group's tasks cut into online batches, each submitted whole at its time. */
export function batchesOf(
  specs: readonly TaskSpec[],
  batch: WorkloadBatch,
  qos: string | undefined,
): SimBatch[] {
  const batches: SimBatch[] = [];
  for (let k = 0; k * batch.size < specs.length; k++) {
    const atMs = batch.startMs + k * batch.everyMs;
    const options = {
      ...(qos === undefined ? {} : { qos }),
      ...(batch.deadlineMs === undefined ? {} : { deadline: atMs + batch.deadlineMs }),
    };
    batches.push({ atMs, specs: specs.slice(k * batch.size, (k + 1) * batch.size), options });
  }
  return batches;
}

const lastBatchAtMs = (count: number, batch: WorkloadBatch) =>
  batch.startMs + (Math.ceil(count / batch.size) - 1) * batch.everyMs;
