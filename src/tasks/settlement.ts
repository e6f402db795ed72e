// The promise behind `handle.result()`, created on first use and settled from the task's
// final state, whether the task already ended or ends later. Only a waiting one is kept on
// the task's record.
import { TaskCancelled, TaskFailed } from '../errors/index.js';
import { isTerminal, type Settlement, type TaskRecord } from './task-record.js';

export function settlementOf(record: TaskRecord): Settlement {
  if (record.settlement) return record.settlement;
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A result nobody awaits must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  const settlement: Settlement = { promise, resolve, reject };
  const { state, task, error, attempts } = record;
  // Kept for the end to settle it; one settled now is not kept (a finished task is kept
  // long, its result asked for rarely: each ask makes its own).
  if (!isTerminal(state) && record.unrecorded === undefined) record.settlement = settlement;
  if (record.unrecorded !== undefined) reject(record.unrecorded);
  else if (state === 'completed') resolve(record.output);
  else if (state === 'cancelled') reject(new TaskCancelled(task.id, error?.message ?? 'cancelled'));
  else if (state === 'failed' && error) reject(new TaskFailed(task.id, error, attempts));
  return settlement;
}
