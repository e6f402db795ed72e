// A client's batches: `submitMany` (tasks taken in whole or not at all, dependencies within
// the batch allowed) and `submitBatch` (an online batch: its QoS class and deadline on each
// task), as a system's. The client checks what it can as a system would (each spec, ids
// shared within the batch, dependency cycles within it), naming the task by its index; what
// only the leader knows (its agents, its classes' room, tasks outside the batch) it checks
// when it takes the batch in, and a refusal is every task's `SubmissionRefused`.
import { defaultRetryPolicy } from '../../machines/retry-policy.js';
import { InvalidTaskSpec } from '../errors/index.js';
import { newTaskId } from '../tasks/task-id.js';
import type { NormalizedTask } from '../tasks/task-spec.js';
import { orderBatch } from '../validation/dependency-order.js';
import { show } from '../validation/field-checks.js';
import { validateTaskSpec } from '../validation/validate-task-spec.js';

/** A batch submitted through a client (`submitBatch`). */
export interface RemoteBatch<Task> {
  /** The batch's id, as its submissions carry it. */
  readonly id: string;
  readonly tasks: readonly Task[];
  /** Every task's output, in order, once all completed; rejects with the first that did not. */
  result(): Promise<unknown[]>;
  /** Asks the leader to cancel every task of the batch (those that ended stay as they are). */
  cancel(reason?: string): Promise<void>;
}

/** `spec` checked as a system checks it (`index`: its place in a batch), for a client. */
export function clientTask(spec: unknown, index?: number): NormalizedTask {
  const task = validateTaskSpec(spec, {
    now: Date.now(),
    defaultRetry: defaultRetryPolicy,
    newId: newTaskId,
    ...(index === undefined ? {} : { index }),
  });
  if (task.outputSchema !== undefined)
    throw new InvalidTaskSpec(
      index === undefined ? 'outputSchema' : `tasks[${index}].outputSchema`,
      `cannot cross processes (a schema is code): give the leader's system outputSchemas: { ${JSON.stringify(task.type)}: schema }`,
    );
  return task;
}

/** The batch's specs checked, as a client can before the leader sees them. */
export function clientBatch(specs: readonly unknown[], entry: string): NormalizedTask[] {
  if (!Array.isArray(specs)) throw new TypeError(`${entry} expects an array of task specs`);
  const tasks = specs.map((spec, index) => clientTask(spec, index));
  orderBatch(tasks, () => true); // ids shared within the batch, cycles within it
  return tasks;
}

/** `cancel`: asks for the cancellation of these tasks, in one request. */
export function remoteBatch<Task extends { readonly id: string; result(): Promise<unknown> }>(
  id: string,
  tasks: readonly Task[],
  cancel: (taskIds: readonly string[], reason: string) => Promise<void>,
): RemoteBatch<Task> {
  return {
    id,
    tasks,
    result: () => Promise.all(tasks.map((task) => task.result())),
    cancel: (reason = 'cancelled') => {
      if (typeof reason !== 'string')
        return Promise.reject(
          new TypeError(`cancel: reason must be a string, got ${show(reason)}`),
        );
      return cancel(
        tasks.map((task) => task.id),
        reason,
      );
    },
  };
}
