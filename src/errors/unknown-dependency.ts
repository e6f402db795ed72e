import { OverseerError } from './overseer-error.js';

/** A task depends on a task that was never submitted, or is no longer retained. */
export class UnknownDependency extends OverseerError {
  readonly code = 'UnknownDependency';
  constructor(
    readonly taskId: string,
    readonly dependency: string,
  ) {
    super(
      `task ${taskId} depends on ${dependency}, which was never submitted or has finished and is no longer retained (retainFinished)`,
    );
  }
}
