// What `submit` returns for a task: its id, its result (once its end is final, durable with
// a store), its status, and a way to cancel it. One object per task, its calls made on
// first use (a caller may take them apart, `const { result } = handle`); the hooks are the
// system's, shared by every handle.
import { isTerminal } from '../../machines/task-states.js';
import { SystemNotRunning } from '../errors/index.js';
import { settlementOf } from './settlement.js';
import type { CancelOutcome, TaskHandle, TaskRecord, TaskStatus } from './task-record.js';
import { statusOf } from './task-record.js';

export interface HandleHooks {
  /** Whether the system stopped: an unfinished task's result will never come. */
  stopped(): boolean;
  cancel(taskId: string, reason: string | undefined): CancelOutcome;
}

class RecordHandle implements TaskHandle {
  readonly id: string;
  #result: (() => Promise<unknown>) | undefined;
  #status: (() => TaskStatus) | undefined;
  #cancel: ((reason?: string) => CancelOutcome) | undefined;

  constructor(
    private readonly record: TaskRecord,
    private readonly hooks: HandleHooks,
  ) {
    this.id = record.task.id;
  }

  get result(): () => Promise<unknown> {
    this.#result ??= () => {
      const { record, hooks, id } = this;
      if (hooks.stopped() && !isTerminal(record.state) && record.ending === undefined)
        return Promise.reject(new SystemNotRunning(`finish task ${id}`, 'stopped'));
      return record.durable
        ? record.durable.then(() => settlementOf(record).promise)
        : settlementOf(record).promise;
    };
    return this.#result;
  }

  get status(): () => TaskStatus {
    this.#status ??= () => statusOf(this.record);
    return this.#status;
  }

  get cancel(): (reason?: string) => CancelOutcome {
    this.#cancel ??= (reason?: string) => this.hooks.cancel(this.id, reason);
    return this.#cancel;
  }
}

export function taskHandle(record: TaskRecord, hooks: HandleHooks): TaskHandle {
  return new RecordHandle(record, hooks);
}
