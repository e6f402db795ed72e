import { OverseerError } from './overseer-error.js';

/** A handler called a tool its agent was not granted (`tools` in the agent's declaration). */
export class ToolNotGranted extends OverseerError {
  readonly code = 'ToolNotGranted';
  constructor(
    readonly agentId: string,
    readonly tool: string,
    /** The tools the agent has. */
    readonly granted: readonly string[],
  ) {
    super(
      `agent ${agentId} was not granted tool ${JSON.stringify(tool)}; it has ${
        granted.length === 0 ? 'no tools' : granted.join(', ')
      }`,
    );
  }
}
