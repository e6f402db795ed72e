// The one place a task record's state is written: in answer to an event its machine
// emitted, or read from its machine (the initial state of a task with no actor yet, the
// snapshot of an actor just started, the state a store recorded). It also keeps the count
// of tasks per state and the memory of finished tasks.
import { getInitialSnapshot } from 'xstate';
import { defaultRetryPolicy } from '../../machines/retry-policy.js';
import { taskMachine } from '../../machines/task.js';
import {
  isTerminal,
  STATE_AFTER,
  TASK_STATES,
  type TaskState,
  taskStateOf,
} from '../../machines/task-states.js';
import type { TaskEmitted } from '../../machines/task-types.js';
import { FinishedTasks } from './finished-tasks.js';
import type { NewTaskRecord, TaskRecord } from './task-record.js';

/** The state the task machine settles in when it starts, with and without dependencies. */
function settledInitialState(dependsOn: readonly string[]): TaskState {
  const input = {
    taskId: 'initial',
    retry: defaultRetryPolicy,
    submittedAt: 0,
    seed: 1,
    dependsOn,
  };
  return taskStateOf(getInitialSnapshot(taskMachine, input).value);
}
const INITIAL = {
  free: settledInitialState([]),
  waiting: settledInitialState(['a dependency']),
} as const;

export class TaskBook {
  readonly records = new Map<string, TaskRecord>();
  readonly #counts = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<
    TaskState,
    number
  >;
  readonly #finished: FinishedTasks;
  /** Unfinished tasks per QoS class (`task.qos`), for the classes' queue caps. */
  readonly #unfinishedByQos = new Map<string, number>();

  constructor(retainFinished: number, onForget: (record: TaskRecord) => void) {
    this.#finished = new FinishedTasks(this.records, retainFinished, onForget);
  }

  get(taskId: string): TaskRecord | undefined {
    return this.records.get(taskId);
  }

  count(state: TaskState): number {
    return this.#counts[state];
  }

  /** Unfinished tasks of QoS class `qos`. */
  unfinishedIn(qos: string): number {
    return this.#unfinishedByQos.get(qos) ?? 0;
  }

  /** Unfinished tasks by QoS class; classes with none are left out. */
  unfinishedByClass(): Record<string, number> {
    return Object.fromEntries(this.#unfinishedByQos);
  }

  get unfinished(): number {
    const c = this.#counts;
    return c.blocked + c.ready + c.assigned + c.running + c.retrying;
  }

  /**
   * A new task, before it has an actor: by definition in its machine's initial state,
   * which is `ready` without unmet dependencies and `blocked` with some.
   */
  admit(fresh: NewTaskRecord, unmetDependencies: number): TaskRecord {
    return this.#enter(fresh, unmetDependencies > 0 ? INITIAL.waiting : INITIAL.free);
  }

  /** A task read back from a store, in the state the store recorded its machine in. */
  restore(fresh: NewTaskRecord, state: TaskState): TaskRecord {
    const record = this.#enter(fresh, state);
    if (isTerminal(state)) this.#finished.remember(record.task.id);
    return record;
  }

  #enter(fresh: NewTaskRecord, state: TaskState): TaskRecord {
    const record = fresh as unknown as TaskRecord;
    record.state = state;
    this.records.set(record.task.id, record);
    this.#counts[state]++;
    if (!isTerminal(state)) this.#countQos(record.task.qos, 1);
    return record;
  }

  /** The task's actor just started: its state is what its machine says. */
  sync(record: TaskRecord): void {
    if (record.actor) this.#move(record, taskStateOf(record.actor.value));
  }

  /** Applies a lifecycle event the task's machine emitted to its record. */
  apply(record: TaskRecord, event: TaskEmitted): void {
    switch (event.type) {
      case 'task.ready':
      case 'task.interrupted':
        record.agentId = undefined;
        if (event.type === 'task.interrupted') record.attempts = event.attempt;
        break;
      case 'task.assigned':
        record.agentId = event.agentId;
        break;
      case 'task.started':
        record.attempts = event.attempt;
        record.startedAt = event.at;
        break;
      case 'task.retrying':
        record.error = event.error;
        record.agentId = undefined;
        break;
      case 'task.completed':
        record.output = event.output;
        record.finishedAt = event.at;
        break;
      case 'task.failed':
        record.error = event.error;
        record.finishedAt = event.at;
        break;
      case 'task.cancelled':
        record.error = { kind: 'cancelled', code: 'TaskCancelled', message: event.reason };
        record.finishedAt = event.at;
        break;
    }
    const state = STATE_AFTER[event.type];
    if (state !== undefined) this.#move(record, state);
  }

  #countQos(qos: string, by: 1 | -1): void {
    const count = (this.#unfinishedByQos.get(qos) ?? 0) + by;
    if (count === 0) this.#unfinishedByQos.delete(qos);
    else this.#unfinishedByQos.set(qos, count);
  }

  #move(record: TaskRecord, state: TaskState): void {
    if (record.state === state) return;
    this.#counts[record.state]--;
    this.#counts[state]++;
    record.state = state;
    record.ending = undefined;
    if (isTerminal(state)) {
      this.#countQos(record.task.qos, -1);
      record.actor = undefined;
      this.#finished.remember(record.task.id);
    }
  }
}
