// Turns agent and supervisor declarations into the root supervisor's child specs. Large
// one_for_one pools are split into subtrees of at most `maxChildren` children, because
// XState's spawn and stop cost grows with a parent's child count. Only one_for_one pools
// are split: there every child is independent, so grouping changes nothing but cost
// (each subtree has its own intensity budget, as documented).
import type { AgentMachineInput } from '../../machines/agent.js';
import type { ChildSpec, RestartStrategy } from '../../machines/child-spec.js';
import type { RestartIntensity } from '../../machines/restart-intensity.js';
import type { SupervisorMachineInput } from '../../machines/supervisor.js';
import {
  type AgentDeclaration,
  isSupervisorDeclaration,
  type SupervisorDeclaration,
} from '../agents/agent-declaration.js';
import type { AgentPlan } from '../agents/agent-plan.js';

export type { AgentPlan } from '../agents/agent-plan.js';

export interface SupervisionPlan {
  readonly root: SupervisorMachineInput;
  /** Every agent's plan; agents added at run time join it. */
  readonly agents: Map<string, AgentPlan>;
}

export interface PlanSettings {
  readonly strategy: RestartStrategy;
  readonly intensity: RestartIntensity;
  readonly heartbeatTimeoutMs: number;
  readonly maxChildren: number;
}

const DEFAULT_SHUTDOWN_MS = 5_000;

export const agentActorId = (agentId: string) => `agent:${agentId}`;
export const supervisorActorId = (supervisorId: string) => `supervisor:${supervisorId}`;

export function planSupervision(
  declarations: readonly (AgentDeclaration | SupervisorDeclaration)[],
  settings: PlanSettings,
): SupervisionPlan {
  const agents = new Map<string, AgentPlan>();

  const agentSpecs = (decl: AgentDeclaration, parentPath: string): ChildSpec[] =>
    agentChildSpecs(decl, settings.heartbeatTimeoutMs, parentPath, agents);

  const supervisorInput = (
    supervisorId: string,
    strategy: RestartStrategy,
    intensity: RestartIntensity,
    children: readonly (AgentDeclaration | SupervisorDeclaration)[],
    path: string,
  ): SupervisorMachineInput => {
    const split = strategy === 'one_for_one' && countChildren(children) > settings.maxChildren;
    const specs = split
      ? splitPool(supervisorId, intensity, children, path)
      : children.flatMap((child) => childSpecs(child, path));
    return { supervisorId, strategy, intensity, children: specs };
  };

  // A pool too wide for one supervisor becomes subtrees `<id>/0`, `<id>/1`... of one_for_one
  // supervisors, nested again if the subtrees are themselves too many.
  const splitPool = (
    supervisorId: string,
    intensity: RestartIntensity,
    children: readonly (AgentDeclaration | SupervisorDeclaration)[],
    path: string,
  ): ChildSpec[] => {
    const units = children.flatMap(expandReplicas);
    const groupSize = Math.ceil(units.length / Math.ceil(units.length / settings.maxChildren));
    const groups: (AgentDeclaration | SupervisorDeclaration)[][] = [];
    for (let i = 0; i < units.length; i += groupSize) groups.push(units.slice(i, i + groupSize));
    if (groups.length > settings.maxChildren) {
      // Too many subtrees still: group them one level deeper.
      const nested = groups.map((group, k) => ({
        supervisor: `${supervisorId}/${k}`,
        strategy: 'one_for_one' as const,
        intensity,
        children: group,
      }));
      return splitPool(supervisorId, intensity, nested, path);
    }
    return groups.map((group, k) => {
      const id = `${supervisorId}/${k}`;
      const actorId = supervisorActorId(id);
      return {
        id: actorId,
        src: 'supervisor',
        restart: 'permanent',
        shutdownTimeoutMs: totalShutdown(group),
        input: supervisorInput(id, 'one_for_one', intensity, group, `${path}${actorId}/`),
      };
    });
  };

  const childSpecs = (
    decl: AgentDeclaration | SupervisorDeclaration,
    path: string,
  ): ChildSpec[] => {
    if (!isSupervisorDeclaration(decl)) return agentSpecs(decl, path);
    const actorId = supervisorActorId(decl.supervisor);
    return [
      {
        id: actorId,
        src: 'supervisor',
        restart: decl.restart ?? 'permanent',
        shutdownTimeoutMs: totalShutdown(decl.children),
        input: supervisorInput(
          decl.supervisor,
          decl.strategy ?? 'one_for_one',
          decl.intensity ?? settings.intensity,
          decl.children,
          `${path}${actorId}/`,
        ),
      },
    ];
  };

  const root = supervisorInput('root', settings.strategy, settings.intensity, declarations, '');
  return { root, agents };
}

/** The child specs of one agent declaration (a spec per replica), recording each agent's plan. */
export function agentChildSpecs(
  decl: AgentDeclaration,
  heartbeatTimeoutMs: number,
  parentPath: string,
  plans: Map<string, AgentPlan>,
): ChildSpec[] {
  const replicas = decl.replicas ?? 1;
  return Array.from({ length: replicas }, (_, i) => {
    const agentId = replicas === 1 ? decl.id : `${decl.id}-${i + 1}`;
    const id = agentActorId(agentId);
    const input: AgentMachineInput = {
      agentId,
      capabilities: decl.capabilities ?? [],
      resources: decl.resources ?? {},
      slots: decl.concurrency ?? 1,
      heartbeatTimeoutMs,
    };
    plans.set(agentId, { agentId, declaration: decl, path: `${parentPath}${id}` });
    return {
      id,
      src: 'agent',
      restart: decl.restart ?? 'permanent',
      shutdownTimeoutMs: decl.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_MS,
      input,
    };
  });
}

/** One declaration per agent, so a pool of replicas can be split across subtrees. */
function expandReplicas(
  decl: AgentDeclaration | SupervisorDeclaration,
): (AgentDeclaration | SupervisorDeclaration)[] {
  if (isSupervisorDeclaration(decl) || (decl.replicas ?? 1) === 1) return [decl];
  return Array.from({ length: decl.replicas ?? 1 }, (_, i) => ({
    ...decl,
    id: `${decl.id}-${i + 1}`,
    replicas: 1,
  }));
}

function countChildren(children: readonly (AgentDeclaration | SupervisorDeclaration)[]): number {
  return children.reduce((n, c) => n + (isSupervisorDeclaration(c) ? 1 : (c.replicas ?? 1)), 0);
}

/**
 * A supervisor's own shutdown time: its children stop one after another, each within its
 * own timeout, so it needs their sum (OTP advises `infinity` for supervisor children).
 */
function totalShutdown(children: readonly (AgentDeclaration | SupervisorDeclaration)[]): number {
  return children.reduce(
    (sum, c) =>
      sum +
      (isSupervisorDeclaration(c)
        ? totalShutdown(c.children)
        : (c.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_MS) * (c.replicas ?? 1)),
    0,
  );
}
