import { OverseerError } from './overseer-error.js';

/** The queue holds `capacity` unfinished tasks; try again after `retryAfterMs`. */
export class QueueFull extends OverseerError {
  readonly code = 'QueueFull';
  constructor(
    readonly capacity: number,
    readonly retryAfterMs: number,
  ) {
    super(`queue is at capacity (${capacity} unfinished tasks); retry after ${retryAfterMs} ms`);
  }
}
