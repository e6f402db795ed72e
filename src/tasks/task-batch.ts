// An online batch: tasks submitted together and due together (a user request fanned out
// into a handful of tasks). The batch's deadline and QoS class apply to each task (a task's
// own earlier deadline stays), so within its class the batch's tasks are due at the same
// time and run before those of a batch submitted later. It meets its objective only if all
// of them finish by the deadline; its handle waits for them all.
import { nanoid } from 'nanoid';
import { InvalidTaskSpec } from '../errors/index.js';
import { isRecord, show } from '../validation/field-checks.js';
import type { CancelOutcome, TaskHandle, TaskStatus } from './task-record.js';
import type { TaskSpec } from './task-spec.js';

export interface BatchOptions {
  /** The QoS class of every task of the batch that names none. */
  readonly qos?: string;
  /** Clock time (ms) by which every task of the batch must finish. */
  readonly deadline?: number;
}

export interface BatchProgress {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly unfinished: number;
}

export interface BatchHandle {
  readonly id: string;
  readonly tasks: readonly TaskHandle[];
  /** Every task's output, in order, once all completed; rejects with the first that did not. */
  result(): Promise<unknown[]>;
  progress(): BatchProgress;
  /** Cancels every unfinished task; returns how many it cancelled. */
  cancel(reason?: string): number;
}

/** The batch's specs with its class and deadline applied; options checked first. */
export function batchSpecs(
  specs: readonly TaskSpec[],
  options: BatchOptions,
  now: number,
): TaskSpec[] {
  if (!Array.isArray(specs)) throw new TypeError('submitBatch expects an array of task specs');
  if (!isRecord(options))
    throw new InvalidTaskSpec('batch', `options must be an object, got ${show(options)}`);
  const { qos, deadline } = options;
  if (qos !== undefined && (typeof qos !== 'string' || qos.length === 0))
    throw new InvalidTaskSpec('batch.qos', `must be a non-empty string, got ${show(qos)}`);
  if (deadline !== undefined && !(typeof deadline === 'number' && deadline > now))
    throw new InvalidTaskSpec(
      'batch.deadline',
      `must be a clock time after now (${now}), got ${show(deadline)}`,
    );
  return specs.map((spec) => {
    if (!isRecord(spec)) return spec;
    const own = spec.deadline;
    return {
      ...spec,
      ...(qos !== undefined && spec.qos === undefined ? { qos } : {}),
      ...(deadline !== undefined
        ? { deadline: typeof own === 'number' ? Math.min(own, deadline) : deadline }
        : {}),
    } as TaskSpec;
  });
}

export function batchHandle(
  tasks: readonly TaskHandle[],
  cancel: (taskId: string, reason: string) => CancelOutcome,
): BatchHandle {
  const count = (statuses: readonly TaskStatus[], state: TaskStatus['state']) =>
    statuses.filter((s) => s.state === state).length;
  return {
    id: nanoid(),
    tasks,
    result: () => Promise.all(tasks.map((task) => task.result())),
    progress: () => {
      const statuses = tasks.map((task) => task.status());
      const completed = count(statuses, 'completed');
      const failed = count(statuses, 'failed');
      const cancelled = count(statuses, 'cancelled');
      return {
        total: tasks.length,
        completed,
        failed,
        cancelled,
        unfinished: tasks.length - completed - failed - cancelled,
      };
    },
    cancel: (reason = 'batch cancelled') =>
      tasks.filter((task) => cancel(task.id, reason) === 'cancelled').length,
  };
}
