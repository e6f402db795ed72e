// What the runtime keeps per task. A ready task waiting in the queue for its first attempt
// is this record alone; its actor is created when the machine has work to do (assigned,
// blocked on dependencies, cancelled or past its deadline) and, once created, lives until
// the task ends, so a retried task waits in the queue with its actor.
import type { TaskError } from '../../machines/task-error.js';
import type { TaskState } from '../../machines/task-states.js';
import type { Attempt } from '../agents/attempt.js';
import type { Requirement } from '../scheduling/requirement.js';
import type { TaskActor } from './task-actor.js';
import type { NormalizedTask } from './task-spec.js';

export type { TaskState } from '../../machines/task-states.js';
export { isTerminal } from '../../machines/task-states.js';

export interface Settlement {
  readonly promise: Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface TaskRecord {
  readonly task: NormalizedTask;
  readonly seq: number;
  readonly submittedAt: number;
  readonly requirement: Requirement;
  /** Written only by the task book, from what the task's machine emitted. */
  state: TaskState;
  actor: TaskActor | undefined;
  attempts: number;
  agentId: string | undefined;
  attempt: Attempt | undefined;
  progress: number | undefined;
  output: unknown;
  error: TaskError | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** Ids of tasks waiting on this one. */
  dependents: string[] | undefined;
  /** Tasks in the longest chain of dependents in its submission, itself included (if any). */
  readonly pathLength?: number;
  deadlineTimer: unknown;
  /** Created on the first `result()` call, so tasks nobody awaits cost no promise. */
  settlement: Settlement | undefined;
  /** While a finished task's end is being written to a durable store: its result waits. */
  durable?: Promise<void> | undefined;
  /** The machine reached a final state whose record waits for the store (not yet applied). */
  ending?: TaskState | undefined;
  /** The store's error when the task's end could not be made durable: its result rejects. */
  unrecorded?: unknown;
  /** A recovered attempt of a previous run: its lease holds until then (clock ms). */
  leaseUntil?: number | undefined;
}

/** A record before the task book admitted it: it has no state yet. */
export type NewTaskRecord = Omit<TaskRecord, 'state'> & { state: undefined };

/** What `system.task(id)` and a handle's `status()` report. */
export interface TaskStatus {
  readonly id: string;
  readonly type: string;
  /** Its QoS class (where it was admitted: a full class may have degraded it). */
  readonly qos: string;
  readonly state: TaskState;
  /** The input it was submitted with (as given: not copied). */
  readonly input: unknown;
  readonly attempts: number;
  readonly agentId: string | undefined;
  readonly progress: number | undefined;
  readonly output: unknown;
  readonly error: TaskError | undefined;
  readonly submittedAt: number;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
}

export function statusOf(record: TaskRecord): TaskStatus {
  return {
    id: record.task.id,
    type: record.task.type,
    qos: record.task.qos,
    state: record.state,
    input: record.task.input,
    attempts: record.attempts,
    agentId: record.agentId,
    progress: record.progress,
    output: record.output,
    error: record.error,
    submittedAt: record.submittedAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
}

/** A submitted task, as `submit` returns it. */
export interface TaskHandle<Output = unknown> {
  readonly id: string;
  /** Resolves with the output once completed; rejects with TaskFailed or TaskCancelled. */
  result(): Promise<Output>;
  status(): TaskStatus;
  /** Cancels the task; says whether it was cancelled now or had already finished. */
  cancel(reason?: string): CancelOutcome;
}

/** What `cancel` did: cancelled the task, found it finished already, or found no such task. */
export type CancelOutcome = 'cancelled' | 'already-finished' | 'unknown';
