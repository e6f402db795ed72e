import { OverseerError } from './overseer-error.js';

/** An isolated agent sent something the protocol does not allow; it fails that agent only. */
export class ProtocolError extends OverseerError {
  readonly code = 'ProtocolError';
  constructor(
    readonly agentId: string,
    reason: string,
  ) {
    super(`agent ${agentId} broke the protocol: ${reason}`);
  }
}
