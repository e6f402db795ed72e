import { OverseerError } from './overseer-error.js';

/** A stored row cannot be read back: bad JSON, an unknown record kind, a missing field. */
export class CorruptStoreRecord extends OverseerError {
  readonly code = 'CorruptStoreRecord';
  constructor(
    /** The table (or memory collection) holding the record. */
    readonly table: string,
    /** Which record: its key, e.g. `seq=12` or `task_id=resize-1`. */
    readonly key: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`corrupt store record ${table}[${key}]: ${problem}`, options);
  }
}
