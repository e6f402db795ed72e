import { OverseerError } from './overseer-error.js';

/**
 * A write to a team's shared state was based on a version that is no longer current: `writer`
 * read version `basedOn`, and others have written since, up to `current`. Read again, redo.
 */
export class StaleState extends OverseerError {
  readonly code = 'StaleState';
  constructor(
    readonly basedOn: number,
    readonly current: number,
    readonly writer: string,
  ) {
    super(
      `stale write by ${writer}: based on shared state version ${basedOn}, but it is at ${current}`,
    );
  }
}
