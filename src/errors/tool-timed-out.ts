import { OverseerError } from './overseer-error.js';

/** A tool's handler did not finish within its `timeoutMs`; its signal was aborted with this. */
export class ToolTimedOut extends OverseerError {
  readonly code = 'ToolTimedOut';
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(`tool ${tool} did not finish within ${timeoutMs} ms`);
  }
}
