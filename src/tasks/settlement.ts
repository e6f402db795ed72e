// The promise behind `handle.result()`, created on first use and settled from the task's
// final state, whether the task already ended or ends later.
import { TaskCancelled, TaskFailed } from '../errors/index.js';
import type { Settlement, TaskRecord } from './task-record.js';

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
  record.settlement = settlement;
  const { state, task, error, attempts } = record;
  if (record.unrecorded !== undefined) reject(record.unrecorded);
  else if (state === 'completed') resolve(record.output);
  else if (state === 'cancelled') reject(new TaskCancelled(task.id, error?.message ?? 'cancelled'));
  else if (state === 'failed' && error) reject(new TaskFailed(task.id, error, attempts));
  return settlement;
}
