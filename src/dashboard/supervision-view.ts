// The supervision tree and the agents table, read from the live actor tree (each
// supervisor's machine: its children in start order, restarts, state) and the system's
// agent list (each agent's machine state, held tasks, limit, placement), in one walk.
import type { AnyActorRef } from 'xstate';
import type { AgentContext } from '../../machines/agent.js';
import type { SupervisorContext } from '../../machines/supervisor.js';
import type { AgentStatus } from '../agents/agent-registry.js';
import type { MetricsSnapshot } from '../observability/metrics.js';
import type { OverseerSystem } from '../system/overseer-system.js';

export interface AgentRow {
  readonly id: string;
  /** The agent machine's state (`idle`, `busy`, `draining`, `unresponsive`...); `restarting` while a restarted agent is not yet ready. */
  readonly state: string;
  readonly busy: number;
  readonly slots: number;
  /** Its adaptive limit and breaker (its declared slots and `closed` without adaptive concurrency). */
  readonly limit: number;
  readonly breaker: string;
  readonly capabilities: readonly string[];
  /** Clock ms since its machine last heard a heartbeat; null before any. */
  readonly heartbeatAgeMs: number | null;
  readonly restarts: number;
  readonly placement: string;
  readonly supervisor: string;
}

export interface TreeNode {
  readonly kind: 'supervisor' | 'agent';
  readonly id: string;
  /** What the page calls a supervisor-like node: `supervisor` unless said (a cluster's `leader`, `node`). */
  readonly label?: string;
  readonly state: string;
  readonly restarts: number;
  /** Supervisors: its strategy and how often it gave up (escalated). */
  readonly strategy?: string;
  readonly escalations?: number;
  readonly children?: readonly TreeNode[];
}

export interface SupervisionView {
  readonly tree: TreeNode | undefined;
  readonly agents: readonly AgentRow[];
}

type Children = Record<string, AnyActorRef | undefined>;

export function supervisionView(
  system: OverseerSystem,
  metrics: MetricsSnapshot,
  escalations: ReadonlyMap<string, number>,
): SupervisionView {
  const root = system.rootActor;
  const statuses = new Map(system.agents().map((a) => [a.id, a]));
  const limits = metrics.agentLimits;
  const now = system.clock.now();
  const rows: AgentRow[] = [];
  const agentNode = (id: string, ref: AnyActorRef | undefined, supervisor: string): TreeNode => {
    const status = statuses.get(id);
    const context = ref?.getSnapshot().context as AgentContext | undefined;
    const state = stateOf(status);
    statuses.delete(id);
    if (status) {
      const limit = limits[id];
      rows.push({
        id,
        state,
        busy: status.tasks.length,
        slots: status.concurrency,
        limit: limit?.limit ?? status.concurrency,
        breaker: limit?.breaker ?? 'closed',
        capabilities: status.capabilities,
        heartbeatAgeMs: context?.lastHeartbeatAt == null ? null : now - context.lastHeartbeatAt,
        restarts: status.restarts,
        placement: system.placementOf(id) ?? 'inline',
        supervisor,
      });
    }
    return { kind: 'agent', id, state, restarts: status?.restarts ?? 0 };
  };
  const supervisorNode = (ref: AnyActorRef): TreeNode => {
    const snapshot = ref.getSnapshot();
    const context = snapshot.context as SupervisorContext;
    const children = snapshot.children as Children;
    const id = context.supervisorId;
    return {
      kind: 'supervisor',
      id,
      state: typeof snapshot.value === 'string' ? snapshot.value : String(snapshot.status),
      restarts: context.restartCount,
      strategy: context.strategy,
      escalations: escalations.get(id) ?? 0,
      children: context.children.map((spec) => {
        const child = children[spec.id];
        if (spec.src === 'supervisor' && child) return supervisorNode(child);
        if (spec.src === 'supervisor')
          return {
            kind: 'supervisor',
            id: spec.id.replace(/^supervisor:/, ''),
            state: 'down',
            restarts: 0,
          };
        return agentNode(spec.id.replace(/^agent:/, ''), child, id);
      }),
    };
  };
  const tree = root ? supervisorNode(root) : undefined;
  // Agents no supervisor lists now (gone for good, or before start).
  for (const [id] of statuses) agentNode(id, undefined, '');
  return { tree, agents: rows };
}

/** A restarted agent waiting out its restart backoff is down until its machine is ready. */
function stateOf(status: AgentStatus | undefined): string {
  if (!status) return 'down';
  if (status.state === 'starting' && status.restarts > 0) return 'restarting';
  return status.state;
}
