// What the runtime uses of a task's actor (the compiled task machine's actor, see
// task-actors.ts), typed with the task machine's events.
import type { StateValue } from 'xstate';
import type { TaskContext, TaskEmitted, TaskEvent } from '../../machines/task.js';

/** A task's actor as the runtime uses it: the compiled task machine's actor, typed. */
export interface TaskActor {
  readonly id: string;
  /** The machine's state value now (what `getSnapshot().value` reads, without a snapshot). */
  readonly value: StateValue;
  start(): void;
  send(event: TaskEvent): void;
  getSnapshot(): { readonly value: StateValue; readonly context: TaskContext };
  /** `owner`: the task's record (given when the actor was made). */
  on(type: '*', handler: (event: TaskEmitted, owner: unknown) => void): { unsubscribe(): void };
}
