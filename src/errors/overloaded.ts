import { OverseerError } from './overseer-error.js';

/**
 * The task's QoS class is at its queue cap and refuses more (its overload policy is
 * `reject`, or the classes it degrades to are full too). Nothing of the submission was
 * stored; try again after `retryAfterMs`.
 */
export class Overloaded extends OverseerError {
  readonly code = 'Overloaded';
  constructor(
    readonly qos: string,
    readonly queueCap: number,
    readonly retryAfterMs: number,
  ) {
    super(
      `QoS class "${qos}" is at its queue cap (${queueCap} unfinished tasks); retry after ${retryAfterMs} ms`,
    );
  }
}
