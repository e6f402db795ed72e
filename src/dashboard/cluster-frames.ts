// The frames of a cluster's read-only dashboard, from readings of its PostgreSQL store
// taken once per interval: the leader over its nodes over the agents placed on them,
// tasks by state, the newest tasks, throughput and queue depth over time, and a log of
// leadership and node changes. The page is the same as a system's; it shows no actions.

import { TERMINAL_TASK_STATES, UNFINISHED_TASK_STATES } from '../../machines/task-states.js';
import { type ProtocolColumn, protocolName } from '../cluster/cluster-protocol.js';
import type { ClusterReading } from './cluster-reading.js';
import type { Frame } from './dashboard-model.js';
import { EventLog } from './event-log.js';
import type { PlotPoint } from './plot-series.js';
import type { AgentRow, TreeNode } from './supervision-view.js';

const count = (r: ClusterReading, states: readonly string[]) =>
  states.reduce((n, s) => n + (r.tasks[s] ?? 0), 0);

export class ClusterFrames {
  readonly log: EventLog;
  readonly #points: PlotPoint[] = [];
  #reading: ClusterReading | undefined;
  #loggedUpTo = 0;

  constructor(
    private readonly seriesPoints: number,
    logSize: number,
  ) {
    this.log = new EventLog(logSize);
  }

  /** A new reading: a plot point, and log lines for what changed since the last. */
  take(r: ClusterReading): void {
    const last = this.#reading;
    this.#reading = r;
    const finished = count(r, TERMINAL_TASK_STATES);
    const elapsed = last ? r.at - last.at : 0;
    const point: PlotPoint = {
      at: r.at,
      throughput:
        last && elapsed > 0
          ? ((finished - count(last, TERMINAL_TASK_STATES)) * 1_000) / elapsed
          : 0,
      submitToStartP50: null,
      submitToStartP99: null,
      runP50: null,
      runP99: null,
      queueDepth: count(r, UNFINISHED_TASK_STATES),
      ready: r.tasks.ready ?? 0,
      running: r.tasks.running ?? 0,
      attainment: {},
    };
    this.#points.push(point);
    if (this.#points.length > this.seriesPoints) this.#points.shift();
    if (r.leader?.holder !== last?.leader?.holder || r.leader?.epoch !== last?.leader?.epoch)
      this.log.add(
        r.at,
        'cluster.leader',
        'escalation',
        r.leader?.holder ?? 'none',
        r.leader ? `leader is ${r.leader.holder} (epoch ${r.leader.epoch})` : 'no leader',
      );
    const before = new Set(last?.nodes.map((n) => n.nodeId) ?? []);
    const now = new Set(r.nodes.map((n) => n.nodeId));
    for (const id of now)
      if (!before.has(id)) this.log.add(r.at, 'cluster.node', 'restart', id, 'node joined');
    for (const id of before)
      if (!now.has(id)) this.log.add(r.at, 'cluster.node', 'failure', id, 'node left');
  }

  full(): Frame {
    return this.#frame(this.log.since(0), this.#points, this.#reading?.recent ?? []);
  }

  update(): Frame {
    const log = this.log.since(this.#loggedUpTo);
    this.#loggedUpTo = this.log.lastSeq;
    const point = this.#points.at(-1);
    return this.#frame(log, point ? [point] : [], this.#reading?.recent ?? []);
  }

  sampleOnly(): void {
    this.#loggedUpTo = this.log.lastSeq;
  }

  close(): void {}

  #frame(log: Frame['log'], points: Frame['points'], recent: Frame['recent']): Frame {
    const r = this.#reading;
    const tasks = r?.tasks ?? {};
    const n = (s: string) => tasks[s] ?? 0;
    const { tree, agents } = r ? clusterTree(r) : { tree: undefined, agents: [] };
    return {
      at: r?.at ?? Date.now(),
      phase: r?.leader?.live ? 'cluster' : 'cluster without a leader',
      paused: false,
      actions: false,
      tasks: {
        submitted: Object.values(tasks).reduce((a, b) => a + b, 0),
        blocked: n('blocked'),
        queued: n('ready'),
        assigned: n('assigned'),
        running: n('running'),
        retrying: n('retrying'),
        completed: n('completed'),
        failed: n('failed'),
        cancelled: n('cancelled'),
      },
      byClass: {},
      classes: {},
      restarts: 0,
      escalations: 0,
      tree,
      agents,
      recent,
      log,
      points,
    };
  }
}

/** The leader over its nodes over their agents; agents no node claimed yet under the leader. */
function clusterTree(r: ClusterReading): { tree: TreeNode; agents: AgentRow[] } {
  const agents: AgentRow[] = [];
  const agentNode = (
    agentId: string,
    nodeId: string | null,
    protocol: ProtocolColumn,
  ): TreeNode => {
    const state = nodeId ? 'placed' : 'unclaimed';
    agents.push({
      id: agentId,
      state,
      busy: 0,
      slots: 0,
      limit: 0,
      breaker: 'closed',
      capabilities: [],
      heartbeatAgeMs: null,
      restarts: 0,
      placement: `remote${nodeId ? ` on ${nodeId}` : `, waiting for a node of ${protocolName(protocol)}`}`,
      supervisor: r.leader?.holder ?? '',
    });
    return { kind: 'agent', id: agentId, state, restarts: 0 };
  };
  const nodes: TreeNode[] = r.nodes.map((node) => ({
    kind: 'supervisor',
    label: 'node',
    id: node.nodeId,
    state: node.draining ? 'stopping' : 'running',
    restarts: 0,
    strategy: `${node.host} pid ${node.pid}, ${protocolName(node.protocol)}, heartbeat ${Math.round(node.heartbeatAgeMs)} ms ago`,
    children: r.placements
      .filter((p) => p.nodeId === node.nodeId)
      .map((p) => agentNode(p.agentId, p.nodeId, p.protocol)),
  }));
  const unclaimed = r.placements.filter(
    (p) => p.nodeId === null || !r.nodes.some((n) => n.nodeId === p.nodeId),
  );
  const tree: TreeNode = {
    kind: 'supervisor',
    label: 'leader',
    id: r.leader ? r.leader.holder : 'none',
    state: r.leader?.live ? 'running' : 'down',
    restarts: 0,
    strategy: r.leader ? `epoch ${r.leader.epoch}` : '',
    escalations: 0,
    children: [...unclaimed.map((p) => agentNode(p.agentId, null, p.protocol)), ...nodes],
  };
  return { tree, agents };
}
