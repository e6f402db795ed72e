import { OverseerError } from './overseer-error.js';

/**
 * A write refused because another system took the store over: this one was deposed (it
 * stalled past its claim) and must not go on. Carried as the cause of a StoreWriteFailed.
 */
export class StoreDeposed extends OverseerError {
  readonly code = 'StoreDeposed';
  constructor(
    /** Who holds the store now; undefined when no one does. */
    readonly holder: string | undefined,
  ) {
    super(
      holder === undefined
        ? 'the store has no owner any more: this system was deposed'
        : `the store is owned by ${holder} now: this system was deposed`,
    );
  }
}
