import { OverseerError } from './overseer-error.js';

/** The file is not an overseer store: not SQLite at all, or another application's database. */
export class ForeignStoreFile extends OverseerError {
  readonly code = 'ForeignStoreFile';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} is not an overseer store: ${reason}`, options);
  }
}
