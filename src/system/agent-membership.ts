// Agents joining and leaving a running system: a new agent becomes a child of the root
// supervisor (OTP's start_child), a removed one is stopped by its supervisor
// (terminate_child and delete_child) and its tasks are rescheduled as if it was lost.
import type { AnyActorRef } from 'xstate';
import type { AgentDeclaration } from '../agents/agent-declaration.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import { InvalidAgentDeclaration, UnknownAgent } from '../errors/index.js';
import { type AgentPlan, agentChildSpecs } from '../supervision/supervision-plan.js';
import { validateDeclarations } from '../validation/validate-agent-declaration.js';
import type { ResolvedOptions } from './resolve-options.js';

export interface DeclaredAgent {
  readonly capabilities: ReadonlySet<string>;
  readonly limits: Readonly<Record<string, number>>;
}

export const declaredOf = (plans: ReadonlyMap<string, AgentPlan>): DeclaredAgent[] =>
  [...plans.values()].map(({ declaration }) => ({
    capabilities: new Set(declaration.capabilities ?? []),
    limits: declaration.resources ?? {},
  }));

export function addAgent(
  agents: AgentRegistry,
  { heartbeatTimeoutMs, tools }: Pick<ResolvedOptions, 'heartbeatTimeoutMs' | 'tools'>,
  root: AnyActorRef,
  plans: Map<string, AgentPlan>,
  declaration: AgentDeclaration,
): string[] {
  // Its tool grants are checked against the system's tools, as at createSystem.
  validateDeclarations([declaration], 'agent', new Set(Object.keys(tools)));
  const fresh = new Map<string, AgentPlan>();
  const specs = agentChildSpecs(declaration, heartbeatTimeoutMs, '', fresh);
  for (const agentId of fresh.keys()) {
    if (plans.has(agentId))
      throw new InvalidAgentDeclaration('agent.id', `duplicates agent ${JSON.stringify(agentId)}`);
  }
  for (const [agentId, plan] of fresh) plans.set(agentId, plan);
  for (const spec of specs) {
    root.send({ type: 'child.add', spec });
    const child = (root.getSnapshot().children as Record<string, AnyActorRef | undefined>)[spec.id];
    if (child) agents.bind(spec.id.slice('agent:'.length), child, 'root');
  }
  return [...fresh.keys()];
}

export function removeAgent(agents: AgentRegistry, root: AnyActorRef, agentId: string): void {
  const agent = agents.get(agentId);
  if (!agent) throw new UnknownAgent(agentId);
  const { supervisor, childId } = supervisorOf(root, agent.plan);
  supervisor?.send({ type: 'child.remove', childId });
  agents.forget(agentId, 'removed from the system');
}

/**
 * The supervisor actor an agent is a child of, found down its plan's path from the root,
 * and the agent's child id there; undefined when a supervisor on the way is gone.
 */
export function supervisorOf(
  root: AnyActorRef,
  plan: Pick<AgentPlan, 'path'>,
): { supervisor: AnyActorRef | undefined; childId: string } {
  const segments = plan.path.split('/');
  const childId = segments.pop() as string;
  let supervisor: AnyActorRef | undefined = root;
  for (const id of segments)
    supervisor = (supervisor?.getSnapshot().children as Record<string, AnyActorRef | undefined>)?.[
      id
    ];
  return { supervisor, childId };
}
