import { OverseerError } from './overseer-error.js';

/**
 * A task submitted from another process (a cluster client) that the leader refused when it
 * took it in, e.g. NoCapableAgent or a QoS class it does not have; `reason` says why.
 */
export class SubmissionRefused extends OverseerError {
  readonly code = 'SubmissionRefused';
  constructor(
    readonly taskId: string,
    readonly reason: string,
  ) {
    super(`the leader refused task ${taskId}: ${reason}`);
  }
}
