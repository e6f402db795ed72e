// The serializable record of why an attempt or a task failed. Runtime errors are classes;
// machines hold this plain form so snapshots persist and cross process boundaries.

export type TaskFailureKind =
  | 'error'
  | 'timeout'
  | 'agent-lost'
  | 'deadline'
  | 'dependency'
  | 'invalid-output'
  | 'cancelled';

export interface TaskError {
  readonly kind: TaskFailureKind;
  /** Stable code a caller can match on, e.g. `TaskTimedOut`. */
  readonly code: string;
  readonly message: string;
  /** Extra facts: validation issues, the failed dependency's id, the lost agent. */
  readonly details?: unknown;
}
