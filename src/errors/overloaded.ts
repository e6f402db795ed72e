import { OverseerError } from './overseer-error.js';

/** Why a QoS class refused work. */
export type OverloadReason = 'queue-cap' | 'predicted-late' | 'shedding';

/**
 * A task's QoS class cannot take it (and its overload policy does not degrade it to a
 * class that can): the class is at its queue cap, the task is predicted to finish after
 * its SLO or deadline, or the class is shedding load. Nothing of the submission was
 * stored; try again after `retryAfterMs`.
 */
export class Overloaded extends OverseerError {
  readonly code = 'Overloaded';
  constructor(
    /** The class that refused. */
    readonly qos: string,
    /** Its queue cap (0 when it has none). */
    readonly queueCap: number,
    readonly retryAfterMs: number,
    readonly reason: OverloadReason = 'queue-cap',
    /** With `predicted-late`: the task predicted to miss and why, for the message. */
    detail?: string,
  ) {
    super(
      reason === 'queue-cap'
        ? `QoS class "${qos}" is at its queue cap (${queueCap} unfinished tasks); retry after ${retryAfterMs} ms`
        : reason === 'shedding'
          ? `QoS class "${qos}" is shedding load (its queueing delay stayed above target); retry after ${retryAfterMs} ms`
          : `QoS class "${qos}" cannot finish in time: ${detail ?? 'predicted past its due time'}; retry after ${retryAfterMs} ms`,
    );
  }
}
