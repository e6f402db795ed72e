import { OverseerError } from './overseer-error.js';

/** The reason an attempt's AbortSignal fires: the task timed out, was cancelled, lost its agent, or a shutdown stopped it. */
export class AttemptAborted extends OverseerError {
  readonly code = 'AttemptAborted';
  constructor(
    readonly taskId: string,
    readonly why: 'timeout' | 'cancelled' | 'agent-lost' | 'shutdown',
  ) {
    super(`attempt of task ${taskId} aborted: ${why}`);
  }
}
