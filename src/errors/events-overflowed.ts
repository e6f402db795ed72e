import { OverseerError } from './overseer-error.js';

/**
 * An events iterator (`system.events({ maxBuffered })`) fell `maxBuffered` events behind the
 * system: it stopped listening then, and says so once it has given every event it held.
 */
export class EventsOverflowed extends OverseerError {
  readonly code = 'EventsOverflowed';
  constructor(readonly maxBuffered: number) {
    super(
      `the events iterator fell ${maxBuffered} events behind (maxBuffered ${maxBuffered}) and stopped: read faster, or raise maxBuffered`,
    );
  }
}
