import { OverseerError } from './overseer-error.js';

/** A call over a tool's `ratePerSec`, refused because the tool is declared `overRate: 'reject'`. */
export class ToolRateLimited extends OverseerError {
  readonly code = 'ToolRateLimited';
  constructor(
    readonly tool: string,
    readonly ratePerSec: number,
    /** When the next call would find a token, in ms from the refusal. */
    readonly retryAfterMs: number,
  ) {
    super(
      `tool ${tool} is over its rate of ${ratePerSec} calls/s: refused; retry after ${retryAfterMs} ms`,
    );
  }
}
