// An agent of the running system as the runtime knows it: its declaration, the actor of
// its machine now, and the runtime's timers for it. What it holds and whether it is busy
// live in its machine; `status` only follows what the machine (or its supervisor) emitted.
import type { AnyActorRef } from 'xstate';
import type { AgentContext } from '../../machines/agent.js';
import type { TaskLane } from '../tasks/task-lane.js';
import type { AgentPlan } from './agent-plan.js';
import type { AgentSlots } from './agent-slots.js';

export interface BoundAgent {
  readonly agentId: string;
  readonly plan: AgentPlan;
  readonly ref: AnyActorRef;
  /** Where the parent link of the task actors it runs points. */
  readonly lane: TaskLane;
  /** Its actor is gone (failed, stopped, replaced or removed): it never serves again. */
  gone: boolean;
  readonly restarts: number;
  /** Restarts since the agent last completed a task; grows the restart backoff. */
  consecutiveRestarts: number;
  readyTimer: unknown;
  pumpTimer: unknown;
  /**
   * A settled attempt's task, not yet released in the agent's machine: the next dispatch
   * hands it over to the next task in one event, or releases it when there is none.
   */
  pendingRelease: string | undefined;
  /** Which task holds each slot token the machine holds. */
  readonly slots: AgentSlots;
  /** When a quiet handover last counted as a heartbeat (at most one per interval). */
  lastQuietHeartbeat: number;
}

/** Whether the agent's machine is online (idle, busy or draining) and its actor alive. */
export function isOnline(agent: BoundAgent): boolean {
  if (agent.gone) return false;
  const value = agent.ref.getSnapshot().value as unknown;
  return typeof value === 'object' && value !== null && 'online' in value;
}

/** The tasks the agent's machine holds a slot for. */
export function heldTasks(agent: BoundAgent): string[] {
  const context = agent.ref.getSnapshot().context as AgentContext | undefined;
  return context ? agent.slots.tasksOf(Object.keys(context.tasks)) : [];
}

/** Whether the agent's machine is online and busy (not idle, not draining). */
export function isBusy(agent: BoundAgent): boolean {
  if (agent.gone) return false;
  return (agent.ref.getSnapshot().value as { online?: unknown }).online === 'busy';
}

/** Whether the agent's machine holds any task (without building the list). */
export function holdsTasks(agent: BoundAgent): boolean {
  const context = agent.ref.getSnapshot().context as AgentContext | undefined;
  if (!context) return false;
  for (const _ in context.tasks) return true;
  return false;
}

/** The agent's machine state as one name: `idle`, `busy`, `draining`, `unresponsive`... */
export function agentStateName(agent: BoundAgent): string {
  if (agent.gone) return 'lost';
  const value = agent.ref.getSnapshot().value as unknown;
  if (typeof value === 'string') return value;
  const [parent, child] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  return typeof child === 'string' ? child : String(parent);
}
