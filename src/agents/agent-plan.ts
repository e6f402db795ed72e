// Where one declared agent stands in the supervision tree.
import type { AgentDeclaration } from './agent-declaration.js';

export interface AgentPlan {
  readonly agentId: string;
  readonly declaration: AgentDeclaration;
  /** Actor ids from the root's child down to the agent, e.g. `supervisor:gpu/agent:gpu-1`. */
  readonly path: string;
}
