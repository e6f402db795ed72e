import { OverseerError } from './overseer-error.js';

/** No inspector server answered at `url` (not running, wrong port, refused). */
export class InspectorUnreachable extends OverseerError {
  readonly code = 'InspectorUnreachable';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`cannot connect to the inspector at ${url}: ${reason}`);
  }
}
