// The task lifecycle diagram the page draws: the task machine's own graph
// (observability/machine-graph.ts) folded onto the lifecycle's state names (a running
// task's timer phases are one `running`), laid out in layers by distance from the first
// state, final states last. Drawn from the machine, so it can never drift from it.

import { taskMachine } from '../../machines/task.js';
import { TASK_STATES, TERMINAL_TASK_STATES } from '../../machines/task-states.js';
import { machineGraph } from '../observability/machine-graph.js';

export interface LifecycleNode {
  readonly state: string;
  readonly layer: number;
  /** Position within its layer, from 0. */
  readonly slot: number;
  readonly final: boolean;
}
export interface LifecycleEdge {
  readonly source: string;
  readonly target: string;
  /** The events that take it, joined. */
  readonly label: string;
}
export interface LifecycleGraph {
  readonly nodes: readonly LifecycleNode[];
  readonly edges: readonly LifecycleEdge[];
  readonly layers: number;
}

const known: ReadonlySet<string> = new Set(TASK_STATES);
const finals: ReadonlySet<string> = new Set(TERMINAL_TASK_STATES);

/**
 * The lifecycle states a graph node stands for: `task.pending.ready` is `ready`,
 * `task.running.timed` is `running`; `task.pending` is both pending states, and a
 * transition of the machine's root is taken from every state that is not final.
 */
function lifecycleStates(nodeId: string): string[] {
  const [, top, leaf] = nodeId.split('.');
  if (top === undefined) return TASK_STATES.filter((s) => !finals.has(s));
  if (top === 'pending' && leaf === undefined)
    return ['blocked', 'ready'].filter((s) => known.has(s));
  const name = top === 'pending' ? leaf : top;
  return name !== undefined && known.has(name) ? [name] : [];
}

export function taskLifecycleGraph(): LifecycleGraph {
  const labels = new Map<string, Set<string>>();
  for (const edge of machineGraph(taskMachine).edges) {
    // A transition of the root without a target stays where it is: no edge.
    const [target] = edge.target.includes('.') ? lifecycleStates(edge.target) : [];
    for (const source of lifecycleStates(edge.source)) {
      if (!target || source === target) continue;
      const key = `${source}>${target}`;
      const set = labels.get(key) ?? new Set<string>();
      set.add(edge.label.replace(/ \[.*\]$/, ''));
      labels.set(key, set);
    }
  }
  const edges = [...labels].map(([key, set]) => {
    const [source = '', target = ''] = key.split('>');
    return { source, target, label: [...set].join(', ') };
  });
  const depth = layersFrom(TASK_STATES[0], edges);
  const last = Math.max(0, ...[...depth].filter(([s]) => !finals.has(s)).map(([, d]) => d)) + 1;
  const perLayer = new Map<number, number>();
  const nodes = TASK_STATES.map((state) => {
    const layer = finals.has(state) ? last : (depth.get(state) ?? 0);
    const slot = perLayer.get(layer) ?? 0;
    perLayer.set(layer, slot + 1);
    return { state, layer, slot, final: finals.has(state) };
  });
  return { nodes, edges, layers: last + 1 };
}

/** Breadth-first distance of each state from `first`, along the edges. */
function layersFrom(first: string, edges: readonly LifecycleEdge[]): Map<string, number> {
  const depth = new Map<string, number>([[first, 0]]);
  const queue = [first];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    for (const edge of edges) {
      if (edge.source !== state || depth.has(edge.target)) continue;
      depth.set(edge.target, (depth.get(state) ?? 0) + 1);
      queue.push(edge.target);
    }
  }
  return depth;
}
