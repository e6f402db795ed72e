import { OverseerError } from './overseer-error.js';

/** A workload file (`overseer run <file>`) cannot be read or is invalid; each problem names `file:line field`. */
export class WorkloadError extends OverseerError {
  readonly code = 'WorkloadError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}
