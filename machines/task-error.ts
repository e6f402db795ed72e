// The serializable record of why an attempt or a task failed. Runtime errors are classes;
// machines hold this plain form so snapshots persist and cross process boundaries.

export type TaskFailureKind =
  | 'error'
  | 'timeout'
  | 'agent-lost'
  | 'deadline'
  | 'dependency'
  | 'invalid-output'
  | 'cancelled'
  | 'no-agent';

/** Every code a TaskError can carry, for matching without a string typo. */
export const FAILURE_CODES = [
  /** An attempt ran past its `timeoutMs`. */
  'TaskTimedOut',
  /** The task did not start before its `deadline`. */
  'DeadlineExceeded',
  /** The agent running the attempt crashed, stopped answering or was removed. */
  'AgentLost',
  /** A task it depends on failed or was cancelled. */
  'DependencyFailed',
  /** The handler's output failed the task's `outputSchema`. */
  'InvalidOutput',
  /** The task was cancelled. */
  'TaskCancelled',
  /** The task's own actor crashed: a bug in overseer, never a user error. */
  'TaskActorError',
  /** No agent left can run the task. */
  'NoCapableAgent',
  /** The output could not be stored by the system's durable store, so it never counted. */
  'InvalidStoreRecord',
  /** The handler threw (or rejected with) anything else; the thrown error's name is in `details.name`. */
  'HandlerError',
  /** The handler threw `NonRetryableError`. */
  'NonRetryable',
  /** The handler threw `AgentCrash`. */
  'AgentCrash',
  /** A failed task whose failure was not recorded. */
  'Unknown',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

export const isFailureCode = (value: unknown): value is FailureCode =>
  (FAILURE_CODES as readonly unknown[]).includes(value);

export interface TaskError {
  readonly kind: TaskFailureKind;
  /** Stable code a caller can match on, e.g. `TaskTimedOut`. */
  readonly code: FailureCode;
  readonly message: string;
  /** Extra facts: validation issues, the failed dependency's id, the lost agent. */
  readonly details?: unknown;
}
