import { OverseerError } from './overseer-error.js';

/**
 * A record the store cannot accept: malformed, not JSON-serializable, for a task it never
 * saw, or a second submission of the same id. It means a bug in the caller; nothing is written.
 */
export class InvalidStoreRecord extends OverseerError {
  readonly code = 'InvalidStoreRecord';
  constructor(
    /** The task or agent the record is about, `?` when it names none. */
    readonly subject: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`store cannot accept a record for ${subject}: ${problem}`, options);
  }
}
