// What the scheduler keeps per agent (its book: limit, what it holds, which requirement
// classes it could serve) and per requirement class (its queued tasks and its free agents),
// and the order in which free agents are picked.
import type { Resources } from '../../machines/resources.js';
import type { IndexedHeap } from './indexed-heap.js';
import type { Requirement } from './requirement.js';
import type { ReadyEntry } from './task-order.js';

export interface SchedulerAgent {
  readonly id: string;
  readonly capabilities: ReadonlySet<string>;
  readonly limits: Resources;
  readonly slots: number;
}

export interface AgentBook {
  readonly agent: SchedulerAgent;
  /** Slots it may hold now: its `slots`, or fewer while its limiter says so. */
  limit: number;
  held: number;
  inUse: Resources;
  lastAssigned: number;
  readonly classes: Set<RequirementClass>;
}

export interface RequirementClass {
  readonly requirement: Requirement;
  /** With QoS classes, the one class of every task in it. */
  readonly qos: string | undefined;
  readonly tasks: IndexedHeap<ReadyEntry>;
  /** Agents that could serve the class and have a free slot. */
  readonly free: IndexedHeap<AgentBook>;
}

/** `before(a, b)`: agent a is picked first; least loaded (then longest unused), or round robin. */
export function agentPick(
  pick: 'least-loaded' | 'round-robin',
): (a: AgentBook, b: AgentBook) => boolean {
  if (pick === 'round-robin') return (a, b) => a.lastAssigned < b.lastAssigned;
  return (a, b) => {
    const la = a.held / a.agent.slots;
    const lb = b.held / b.agent.slots;
    return la !== lb ? la < lb : a.lastAssigned < b.lastAssigned;
  };
}
