import { OverseerError } from './overseer-error.js';

/**
 * Thrown by a handler: the agent itself is broken (lost a connection, corrupt state). The
 * task is rescheduled as if its agent was lost, and the agent is restarted by its supervisor.
 */
export class AgentCrash extends OverseerError {
  readonly code = 'AgentCrash';
}
