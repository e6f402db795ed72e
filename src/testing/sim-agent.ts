// The agents and supervisors a simulation declares: ordinary declarations whose work is
// simulated unless they bring a handler.
import type {
  AgentDeclaration,
  HandlerContext,
  SupervisorDeclaration,
} from '../agents/agent-declaration.js';

/** An agent of a simulation: a declaration whose work is simulated unless it has a handler. */
export type SimAgent = Omit<AgentDeclaration, 'handler' | 'logic'> & {
  /** Simulated work time of one task, in ms: fixed or drawn uniformly from [min, max]. Default 10. */
  readonly workMs?: number | { readonly min: number; readonly max: number };
  /** Your handler, run instead of simulated work (faults still apply around it). */
  readonly handler?: (input: never, ctx: HandlerContext) => unknown;
};
export type SimSupervisor = Omit<SupervisorDeclaration, 'children'> & {
  readonly children: readonly (SimAgent | SimSupervisor)[];
};
