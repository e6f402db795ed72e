import { OverseerError } from './overseer-error.js';

/** No team run has this id: never started on this system, or ended (and forgotten). */
export class UnknownTeamRun extends OverseerError {
  readonly code = 'UnknownTeamRun';
  constructor(
    readonly runId: string,
    /** Where it was looked for: the live runs, or the store's saved ones. */
    readonly where: string,
  ) {
    super(`no team run with id ${runId} ${where}`);
  }
}
