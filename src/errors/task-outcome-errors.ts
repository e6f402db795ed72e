// Errors that describe how a task ended, given to whoever awaits its result, and errors a
// handler throws to steer what happens next.
import type { TaskError } from '../../machines/task-error.js';
import { OverseerError } from './overseer-error.js';

/** The task ended failed; `error` is the machine's record of the last failure. */
export class TaskFailed extends OverseerError {
  readonly code = 'TaskFailed';
  constructor(
    readonly taskId: string,
    readonly error: TaskError,
    readonly attempts: number,
  ) {
    super(`task ${taskId} failed after ${attempts} attempt(s): ${error.code}: ${error.message}`);
  }
}

export class TaskCancelled extends OverseerError {
  readonly code = 'TaskCancelled';
  constructor(
    readonly taskId: string,
    readonly reason: string,
  ) {
    super(`task ${taskId} was cancelled: ${reason}`);
  }
}

/** Thrown by a handler: the attempt fails and the task is not retried. */
export class NonRetryableError extends OverseerError {
  readonly code = 'NonRetryable';
}

/**
 * Thrown by a handler: the agent itself is broken (lost a connection, corrupt state). The
 * task is rescheduled as if its agent was lost, and the agent is restarted by its supervisor.
 */
export class AgentCrash extends OverseerError {
  readonly code = 'AgentCrash';
}

/** The reason an attempt's AbortSignal fires: the task timed out, was cancelled, or lost its agent. */
export class AttemptAborted extends OverseerError {
  readonly code = 'AttemptAborted';
  constructor(
    readonly taskId: string,
    readonly why: 'timeout' | 'cancelled' | 'agent-lost',
  ) {
    super(`attempt of task ${taskId} aborted: ${why}`);
  }
}
