// What `submit` returns for a task: its id, its result (once its end is final, durable with
// a store), its status, and a way to cancel it.
import { isTerminal } from '../../machines/task-states.js';
import { SystemNotRunning } from '../errors/index.js';
import { settlementOf } from './settlement.js';
import type { CancelOutcome, TaskHandle, TaskRecord } from './task-record.js';
import { statusOf } from './task-record.js';

export interface HandleHooks {
  /** Whether the system stopped: an unfinished task's result will never come. */
  stopped(): boolean;
  cancel(reason: string | undefined): CancelOutcome;
}

export function taskHandle(record: TaskRecord, hooks: HandleHooks): TaskHandle {
  const id = record.task.id;
  return {
    id,
    result: () =>
      hooks.stopped() && !isTerminal(record.state) && record.ending === undefined
        ? Promise.reject(new SystemNotRunning(`finish task ${id}`, 'stopped'))
        : record.durable
          ? record.durable.then(() => settlementOf(record).promise)
          : settlementOf(record).promise,
    status: () => statusOf(record),
    cancel: (reason?: string) => hooks.cancel(reason),
  } as TaskHandle;
}
