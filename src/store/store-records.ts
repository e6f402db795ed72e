// The records a runtime appends to a store: what happened to a task or an agent, each
// stamped with the clock time it happened. A store keeps them as data, so every field is
// plain JSON: the spec without its output schema, errors in their serializable form.
import type { Resources } from '../../machines/resources.js';
import type { TaskError } from '../../machines/task-error.js';
import type { TerminalTaskState, UnfinishedTaskState } from '../../machines/task-states.js';
import type { NormalizedTask } from '../tasks/task-spec.js';

/** The version of the SQLite store's schema: its last migration (migrations.ts). */
export const STORE_SCHEMA_VERSION = 4;

/**
 * The version of the record format. Every stored record carries the version that wrote it;
 * a store refuses data from a newer version instead of misreading it.
 */
export const STORE_RECORD_VERSION = 1;

/**
 * A task spec as stored: the normalized spec without `outputSchema`, which is code, not
 * data. A recovering runtime binds the schema again from the task's type.
 */
export type StoredTaskSpec = Omit<NormalizedTask, 'outputSchema'>;

/** The states a task is in before it ends. */
export type ActiveTaskState = UnfinishedTaskState;
/** The states a task ends in; a store holds at most one terminal record per task. */
export type { TerminalTaskState };

interface TaskStamp {
  readonly taskId: string;
  /** Clock time the record describes, in ms. */
  readonly at: number;
}

interface AttemptStamp extends TaskStamp {
  /** Attempts started so far, the one this record concerns included. */
  readonly attempt: number;
  /** The agent the task is on, if any. */
  readonly agentId?: string | undefined;
}

export interface TaskSubmittedRecord extends TaskStamp {
  readonly kind: 'task.submitted';
  /** The full spec; its `id` must equal `taskId`. */
  readonly spec: StoredTaskSpec;
}

export interface TaskTransitionRecord extends AttemptStamp {
  readonly kind: 'task.transition';
  readonly state: ActiveTaskState;
  /** When a retrying task becomes ready again, in clock ms. */
  readonly retryAt?: number | undefined;
  /** The failure that led here (a retrying task's last error). */
  readonly error?: TaskError | undefined;
  /** The task machine's persisted snapshot, if the runtime restores actors from it. */
  readonly snapshot?: unknown;
}

export interface TaskCompletedRecord extends AttemptStamp {
  readonly kind: 'task.completed';
  readonly output: unknown;
}

export interface TaskFailedRecord extends AttemptStamp {
  readonly kind: 'task.failed';
  readonly error: TaskError;
}

export interface TaskCancelledRecord extends AttemptStamp {
  readonly kind: 'task.cancelled';
  readonly reason: string;
}

export type TaskTerminalRecord = TaskCompletedRecord | TaskFailedRecord | TaskCancelledRecord;

export type TaskLifecycleRecord = TaskSubmittedRecord | TaskTransitionRecord | TaskTerminalRecord;

interface AgentStamp {
  readonly agentId: string;
  /** Clock time the record describes, in ms. */
  readonly at: number;
}

export type AgentLifecycleRecord =
  | (AgentStamp & {
      readonly kind: 'agent.registered';
      readonly capabilities: readonly string[];
      readonly resources: Resources;
      readonly slots: number;
    })
  | (AgentStamp & { readonly kind: 'agent.lost'; readonly reason: string })
  | (AgentStamp & { readonly kind: 'agent.restarted' })
  | (AgentStamp & { readonly kind: 'agent.stopped' });

/** A record as a store returns it: with its place in the store's log and its version. */
export type Stored<R> = R & {
  /** Position in the store's log; increases with every record appended. */
  readonly seq: number;
  /** The store schema version that wrote it. */
  readonly v: number;
};

/** The kinds of record that end a task. */
export const END_KINDS: ReadonlySet<string> = new Set([
  'task.completed',
  'task.failed',
  'task.cancelled',
]);

export const terminalStateOf = (record: TaskTerminalRecord): TerminalTaskState =>
  record.kind === 'task.completed'
    ? 'completed'
    : record.kind === 'task.failed'
      ? 'failed'
      : 'cancelled';
