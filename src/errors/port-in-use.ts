import { OverseerError } from './overseer-error.js';

/** A port the caller asked to listen on is taken by another process. */
export class PortInUse extends OverseerError {
  readonly code = 'PortInUse';
  constructor(readonly port: number) {
    super(`port ${port} is in use: choose another with --port, or connect to a server with --url`);
  }
}
