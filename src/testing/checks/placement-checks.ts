// Invariants about where and when tasks run: 2 (one agent at a time, and only an agent
// with the capabilities, slots and resources) and 4 (strict priority).
import type { OverseerEvent, OverseerEventOf } from '../../core/system-events.js';
import { type CheckContext, type Violation, violation } from './violation.js';

type Submitted = OverseerEventOf<'task.submitted'>;
type Registered = OverseerEventOf<'agent.registered'>;
type Started = OverseerEventOf<'task.started'>;
type Assigned = OverseerEventOf<'task.assigned'>;

interface Fold {
  readonly tasks: Map<string, Submitted>;
  readonly agents: Map<string, Registered>;
  /** Attempts running, by task. */
  readonly running: Map<string, Started>;
  /** Slots and resources reserved, from assignment to the attempt's end, by task. */
  readonly reserved: Map<string, Assigned>;
  /** Tasks in the ready queue. */
  readonly ready: Set<string>;
}

const ENDS_ATTEMPT = new Set(['task.retrying', 'task.completed', 'task.failed', 'task.cancelled']);

/** Reservations on the agent, other than `except`'s own. */
function onAgent(fold: Fold, agentId: string, except: string): Assigned[] {
  return [...fold.reserved.values()].filter((s) => s.agentId === agentId && s.taskId !== except);
}

function fits(agent: Registered, held: readonly Assigned[], fold: Fold, task: Submitted): boolean {
  if (!task.capabilities.every((c) => agent.capabilities.includes(c))) return false;
  for (const [name, amount] of Object.entries(task.resources)) {
    const used = held.reduce((sum, s) => sum + (fold.tasks.get(s.taskId)?.resources[name] ?? 0), 0);
    if (used + amount > (agent.resources[name] ?? 0)) return false;
  }
  return true;
}

/** Folds the history, calling `visit` at each assignment and start with the state just before it. */
function replay(
  history: readonly OverseerEvent[],
  visit: (e: OverseerEvent, fold: Fold) => void,
): void {
  const fold: Fold = {
    tasks: new Map(),
    agents: new Map(),
    running: new Map(),
    reserved: new Map(),
    ready: new Set(),
  };
  for (const e of history) {
    if (e.type === 'task.assigned' || e.type === 'task.started') visit(e, fold);
    if (e.type === 'task.submitted') fold.tasks.set(e.taskId, e);
    else if (e.type === 'agent.registered') fold.agents.set(e.agentId, e);
    else if (e.type === 'task.ready') fold.ready.add(e.taskId);
    else if (e.type === 'task.assigned') {
      fold.ready.delete(e.taskId);
      fold.reserved.set(e.taskId, e);
    } else if (e.type === 'task.started') fold.running.set(e.taskId, e);
    if (ENDS_ATTEMPT.has(e.type) && 'taskId' in e) {
      fold.running.delete(e.taskId);
      fold.reserved.delete(e.taskId);
      if (e.type !== 'task.retrying') fold.ready.delete(e.taskId);
    }
  }
}

export function exclusiveLease(history: readonly OverseerEvent[]): Violation[] {
  const out: Violation[] = [];
  replay(history, (e, fold) => {
    if (e.type !== 'task.started') return;
    const task = fold.tasks.get(e.taskId);
    const agent = fold.agents.get(e.agentId);
    const other = fold.running.get(e.taskId);
    if (other)
      out.push(
        violation(
          2,
          'exclusive lease',
          `task ${e.taskId} started on ${e.agentId} while attempt ${other.attempt} still ran on ${other.agentId}`,
          [other, e],
        ),
      );
    if (!task || !agent) return;
    const held = onAgent(fold, e.agentId, e.taskId);
    if (held.length >= agent.slots)
      out.push(
        violation(
          2,
          'exclusive lease',
          `agent ${e.agentId} started ${e.taskId} with all ${agent.slots} slots taken`,
          [agent, ...held, e],
        ),
      );
    if (!fits(agent, held, fold, task))
      out.push(
        violation(
          2,
          'exclusive lease',
          `agent ${e.agentId} lacks the capabilities or free resources task ${e.taskId} needs`,
          [task, agent, e],
        ),
      );
  });
  return out;
}

export function strictPriority(history: readonly OverseerEvent[], ctx: CheckContext): Violation[] {
  if (!ctx.strictPriority) return [];
  const out: Violation[] = [];
  replay(history, (e, fold) => {
    if (e.type !== 'task.assigned') return;
    const task = fold.tasks.get(e.taskId);
    const agent = fold.agents.get(e.agentId);
    if (!task || !agent) return;
    const held = onAgent(fold, e.agentId, e.taskId);
    for (const id of fold.ready) {
      const waiting = fold.tasks.get(id);
      if (
        id === e.taskId ||
        !waiting ||
        waiting.priority <= task.priority ||
        !fits(agent, held, fold, waiting)
      )
        continue;
      out.push(
        violation(
          4,
          'strict priority',
          `agent ${e.agentId} took ${e.taskId} (priority ${task.priority}) while ${id} (priority ${waiting.priority}) waited and fit`,
          [waiting, task, e],
        ),
      );
      return;
    }
  });
  return out;
}
