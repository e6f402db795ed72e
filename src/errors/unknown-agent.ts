import { OverseerError } from './overseer-error.js';

/** No agent has this id. */
export class UnknownAgent extends OverseerError {
  readonly code = 'UnknownAgent';
  constructor(readonly agentId: string) {
    super(`no agent with id ${agentId}`);
  }
}
