import { OverseerError } from './overseer-error.js';

/**
 * The module given to `overseer eval --team` cannot be imported, exports no `team()`, or
 * its `team()` does not return `{ system, spec }` with a valid team spec.
 */
export class InvalidTeamModule extends OverseerError {
  readonly code = 'InvalidTeamModule';
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`team module ${path}: ${problem}`, options);
  }
}
