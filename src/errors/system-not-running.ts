import { OverseerError } from './overseer-error.js';

/** The system is not accepting this call in its current phase (not started, draining, stopped). */
export class SystemNotRunning extends OverseerError {
  readonly code = 'SystemNotRunning';
  constructor(
    readonly operation: string,
    readonly phase: string,
  ) {
    super(`cannot ${operation}: the system is ${phase}`);
  }
}
