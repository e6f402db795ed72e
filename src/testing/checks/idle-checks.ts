// Invariant 11: no ready task waits while a fitting agent sits idle, beyond one tick. The
// fold follows readiness (`task.ready` until assigned or ended) and idleness (registered
// or `agent.idle`, until busy, unresponsive, failed, restarted, removed or escalated).
import { resourcesFit } from '../../../machines/resources.js';
import type { OverseerEvent, OverseerEventOf } from '../../core/system-events.js';
import { type Violation, violation } from './violation.js';

type Submitted = OverseerEventOf<'task.submitted'>;
type Registered = OverseerEventOf<'agent.registered'>;
type Ready = OverseerEventOf<'task.ready'>;

/** The agent holds work, or is about to go: not idle until `agent.idle` or it registers again. */
const OCCUPIED = new Set(['agent.busy', 'agent.unresponsive']);
/** The agent's registration no longer holds: it is idle again only once it registers. */
const GONE = new Set(['agent.failed', 'agent.restarted', 'agent.removed']);
const LEAVES_READY = new Set([
  'task.assigned',
  'task.retrying',
  'task.completed',
  'task.failed',
  'task.cancelled',
]);
/**
 * A shutdown ended (`task.interrupted` comes only from a stop). A drain publishes nothing
 * when it begins and hands out nothing from then on, while supervisors drain their
 * children one at a time: an idle agent waiting its turn is no violation.
 */
const SHUTDOWN = new Set(['system.drained', 'task.interrupted']);

/** Ready tasks of one requirement (capabilities and resources): they fit the same agents. */
interface Need {
  readonly task: Submitted;
  /** Ready tasks of this need not reported yet, with the event that made each ready. */
  readonly waiting: Map<string, Ready>;
}

/** A task that waited while the clock moved on; `index` is where the clock moved. */
interface Wait {
  readonly index: number;
  readonly violation: Violation;
}

const needKey = (task: Submitted): string =>
  JSON.stringify([
    [...task.capabilities].sort(),
    Object.entries(task.resources)
      .filter(([, amount]) => amount > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);

const fits = (agent: Registered, task: Submitted): boolean =>
  task.capabilities.every((c) => agent.capabilities.includes(c)) &&
  resourcesFit(agent.resources, {}, task.resources);

class IdleFold {
  readonly tasks = new Map<string, Submitted>();
  /** Registrations of the agents in service. */
  readonly agents = new Map<string, Registered>();
  /** Idle agents, with the event that made each idle. */
  readonly idle = new Map<string, OverseerEvent>();
  readonly needs = new Map<string, Need>();
  /** Each ready task's need. */
  readonly readyIn = new Map<string, Need>();

  apply(e: OverseerEvent): void {
    if (e.type === 'task.submitted') this.tasks.set(e.taskId, e);
    else if (e.type === 'task.ready') this.#ready(e);
    else if (LEAVES_READY.has(e.type) && 'taskId' in e) {
      this.readyIn.get(e.taskId)?.waiting.delete(e.taskId);
      this.readyIn.delete(e.taskId);
    } else if (e.type === 'agent.registered') {
      this.agents.set(e.agentId, e);
      this.idle.set(e.agentId, e);
    } else if (e.type === 'agent.idle') {
      if (this.agents.has(e.agentId)) this.idle.set(e.agentId, e);
    } else if (OCCUPIED.has(e.type) && 'agentId' in e) this.idle.delete(e.agentId);
    else if (GONE.has(e.type) && 'agentId' in e) {
      this.idle.delete(e.agentId);
      this.agents.delete(e.agentId);
    } else if (e.type === 'supervisor.escalated' || SHUTDOWN.has(e.type)) {
      // An escalation does not say which agents went with the supervisor: none counts as idle.
      this.idle.clear();
    }
  }

  /** Takes every ready task not reported yet that an idle agent could run, with that agent. */
  *takeWaiting(): Generator<[Ready, Registered, OverseerEvent]> {
    if (this.idle.size === 0) return;
    for (const need of this.needs.values()) {
      if (need.waiting.size === 0) continue;
      const agentId = [...this.idle.keys()].find((id) => {
        const agent = this.agents.get(id);
        return agent !== undefined && fits(agent, need.task);
      });
      if (agentId === undefined) continue;
      const agent = this.agents.get(agentId) as Registered;
      for (const ready of need.waiting.values())
        yield [ready, agent, this.idle.get(agentId) as OverseerEvent];
      need.waiting.clear();
    }
  }

  #ready(e: Ready): void {
    const task = this.tasks.get(e.taskId);
    if (!task) return;
    const key = needKey(task);
    let need = this.needs.get(key);
    if (!need) {
      need = { task, waiting: new Map() };
      this.needs.set(key, need);
    }
    need.waiting.set(e.taskId, e);
    this.readyIn.set(e.taskId, need);
  }
}

const idleViolation = (
  ready: Ready,
  agent: Registered,
  madeIdle: OverseerEvent,
  seen: OverseerEvent,
  quiet: boolean,
): Violation =>
  violation(
    11,
    'no idle agent beside ready work',
    quiet
      ? `task ${ready.taskId} was still ready when the history ended (at ${seen.at}) while agent ${agent.agentId} sat idle and could run it`
      : `task ${ready.taskId} waited ready from ${ready.at} to ${seen.at} while agent ${agent.agentId} sat idle and could run it`,
    [...[ready, madeIdle].sort((a, b) => a.at - b.at), seen],
  );

/**
 * A ready task and an idle agent that could run it may meet within one tick (the clock
 * time the task became ready or the agent idle); when an event at a later time arrives
 * while both still hold, or the history ends with them, the task was left waiting.
 * Needs a history with `agent.busy` and `agent.idle` (a `'*'` listener records them).
 */
export function noIdleAgentBesideReadyWork(history: readonly OverseerEvent[]): Violation[] {
  if (!history.some((e) => e.type === 'agent.busy') && history.some(isAssignment)) return [];
  const fold = new IdleFold();
  let waits: Wait[] = [];
  let lastAssigned = -1;
  for (const [index, e] of history.entries()) {
    const before = history[index - 1];
    if (before && e.at > before.at)
      for (const [ready, agent, madeIdle] of fold.takeWaiting())
        waits.push({ index, violation: idleViolation(ready, agent, madeIdle, e, false) });
    if (isAssignment(e)) lastAssigned = index;
    // In a drain nothing is assigned: an assignment after the wait proves the system still ran.
    if (SHUTDOWN.has(e.type)) waits = waits.filter((w) => w.index <= lastAssigned);
    fold.apply(e);
  }
  const last = history.at(-1);
  if (last)
    for (const [ready, agent, madeIdle] of fold.takeWaiting())
      waits.push({
        index: history.length,
        violation: idleViolation(ready, agent, madeIdle, last, true),
      });
  return waits.map((w) => w.violation);
}

const isAssignment = (e: OverseerEvent): boolean => e.type === 'task.assigned';
