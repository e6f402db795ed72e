import { OverseerError } from './overseer-error.js';

/** A task's deadline is not after the system clock's current time. */
export class DeadlineInPast extends OverseerError {
  readonly code = 'DeadlineInPast';
  constructor(
    readonly deadline: number,
    readonly now: number,
  ) {
    super(`deadline ${deadline} is not after the current clock time ${now}`);
  }
}
