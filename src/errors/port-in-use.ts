import { OverseerError } from './overseer-error.js';

/** A port the caller asked to listen on is taken by another process. */
export class PortInUse extends OverseerError {
  readonly code = 'PortInUse';
  constructor(
    readonly port: number,
    /** How the caller chooses another: the option naming the port. */
    advice = 'choose another with --port, or connect to a server with --url',
  ) {
    super(`port ${port} is in use: ${advice}`);
  }
}
