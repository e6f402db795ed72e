// A task as a store knows it: its spec and its latest status, which each appended record
// replaces. The rules here are the store's guarantees and both stores apply them: a task is
// submitted once, records name a submitted task, and a terminal record is the last one.
import type { TaskError } from '../../machines/task-error.js';
import { InvalidStoreRecord, TaskAlreadyTerminal } from '../errors/index.js';
import type { TaskState } from '../tasks/task-record.js';
import { isTerminal } from '../tasks/task-record.js';
import type { Lease } from './lease.js';
import {
  type StoredTaskSpec,
  type TaskLifecycleRecord,
  type TaskSubmittedRecord,
  terminalStateOf,
} from './store-records.js';

/** The latest status of a task, as its last record left it. */
export interface StoredTaskStatus {
  readonly state: TaskState;
  /** Attempts started so far. A task running when its process died counts that attempt. */
  readonly attempt: number;
  readonly agentId: string | undefined;
  /** Clock time of the last record, in ms. */
  readonly updatedAt: number;
  /** When a retrying task becomes ready again, in clock ms. */
  readonly retryAt: number | undefined;
  /** The task machine's persisted snapshot from the last transition, if one was given. */
  readonly snapshot: unknown;
  /** A completed task's output. */
  readonly output: unknown;
  /** A failed task's error, or the last error of a retrying one. */
  readonly error: TaskError | undefined;
  /** Why a cancelled task was cancelled. */
  readonly reason: string | undefined;
  /** Clock time of the terminal record, in ms. */
  readonly finishedAt: number | undefined;
}

export interface StoredTask extends StoredTaskStatus {
  readonly taskId: string;
  /** Submission order: larger was submitted later. */
  readonly seq: number;
  readonly spec: StoredTaskSpec;
  readonly submittedAt: number;
  /** Who runs the task and until when, if anyone holds a lease on it. */
  readonly lease: Lease | undefined;
}

/** The status a submission starts a task in: blocked on its dependencies, or ready. */
export function submittedStatus(record: TaskSubmittedRecord): StoredTaskStatus {
  return {
    state: record.spec.dependsOn.length > 0 ? 'blocked' : 'ready',
    attempt: 0,
    agentId: undefined,
    updatedAt: record.at,
    retryAt: undefined,
    snapshot: undefined,
    output: undefined,
    error: undefined,
    reason: undefined,
    finishedAt: undefined,
  };
}

// One literal with every field, not spreads: a status is built per record on the hot path.
function statusAfter(record: Exclude<TaskLifecycleRecord, TaskSubmittedRecord>): StoredTaskStatus {
  const transition = record.kind === 'task.transition' ? record : undefined;
  return {
    state: record.kind === 'task.transition' ? record.state : terminalStateOf(record),
    attempt: record.attempt,
    agentId: record.agentId,
    updatedAt: record.at,
    retryAt: transition?.retryAt,
    snapshot: transition?.snapshot,
    output: record.kind === 'task.completed' ? record.output : undefined,
    error: 'error' in record ? record.error : undefined,
    reason: record.kind === 'task.cancelled' ? record.reason : undefined,
    finishedAt: transition === undefined ? record.at : undefined,
  };
}

/**
 * The status after `record`, given the task's current state (undefined: never submitted).
 * A record replaces the whole status, so nothing else of the current one matters.
 * Throws InvalidStoreRecord or TaskAlreadyTerminal when the record breaks the rules.
 */
export function nextStatus(
  current: TaskState | undefined,
  record: TaskLifecycleRecord,
): StoredTaskStatus {
  if (record.kind === 'task.submitted') {
    if (current !== undefined) {
      throw new InvalidStoreRecord(record.taskId, 'the task was already submitted');
    }
    return submittedStatus(record);
  }
  if (current === undefined) {
    throw new InvalidStoreRecord(record.taskId, `${record.kind} for a task never submitted`);
  }
  if (isTerminal(current)) {
    throw new TaskAlreadyTerminal(record.taskId, current, record.kind);
  }
  return statusAfter(record);
}

/** A lease may be claimed on a submitted task that has not ended; throws otherwise. */
export function checkLeasable(taskId: string, current: TaskState | undefined): void {
  if (current === undefined) {
    throw new InvalidStoreRecord(taskId, 'lease claimed on a task never submitted');
  }
  if (isTerminal(current)) throw new TaskAlreadyTerminal(taskId, current, 'lease claim');
}
