// The runtime side of agents: binds each agent actor of the supervision tree, registers
// it with the scheduler once it is ready (after a backoff when it was restarted), pumps
// heartbeats for busy `auto` agents, and turns an agent's loss into its tasks' `agent.lost`.
import type { AnyActorRef } from 'xstate';
import type { AgentEmitted } from '../../machines/agent.js';
import { backoffDelayMs } from '../../machines/retry-policy.js';
import type { Requirement } from '../scheduling/requirement.js';
import type { AgentPlan } from '../supervision/supervision-plan.js';
import type { Runtime } from '../system/runtime.js';
import type { Attempt } from './attempt.js';

export interface BoundAgent {
  readonly agentId: string;
  readonly plan: AgentPlan;
  readonly ref: AnyActorRef;
  status: 'starting' | 'online' | 'lost';
  /** Attempts holding a slot on this agent. */
  readonly attempts: Map<string, Attempt>;
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
}

/** What `system.agents()` reports for each agent. */
export interface AgentStatus {
  readonly id: string;
  readonly state: string;
  readonly capabilities: readonly string[];
  readonly tasks: readonly string[];
  readonly restarts: number;
}

export class AgentPool {
  readonly #agents = new Map<string, BoundAgent>();
  #restarts = 0;

  constructor(
    private readonly rt: Runtime,
    private readonly plans: Map<string, AgentPlan>,
  ) {}

  get(agentId: string): BoundAgent | undefined {
    return this.#agents.get(agentId);
  }

  get restartCount(): number {
    return this.#restarts;
  }

  /** A (new) actor runs agent `agentId`: the previous one, if any, is lost. */
  bind(agentId: string, ref: AnyActorRef, supervisorId: string): void {
    const plan = this.plans.get(agentId);
    const previous = this.#agents.get(agentId);
    if (!plan || previous?.ref === ref) return;
    if (previous) this.markLost(previous, 'restarted by its supervisor');
    const agent: BoundAgent = {
      agentId,
      plan,
      ref,
      status: 'starting',
      attempts: new Map(),
      restarts: previous ? previous.restarts + 1 : 0,
      consecutiveRestarts: previous ? previous.consecutiveRestarts + 1 : 0,
      readyTimer: undefined,
      pumpTimer: undefined,
      pendingRelease: undefined,
    };
    this.#agents.set(agentId, agent);
    ref.on('*', (event: AgentEmitted) => this.#onAgentEvent(agent, event));
    if (previous) {
      this.#restarts++;
      this.rt.events.publish({
        type: 'agent.restarted',
        agentId,
        supervisorId,
        at: this.rt.clock.now(),
      });
      const delay = backoffDelayMs(
        this.rt.options.restartBackoff,
        agent.consecutiveRestarts,
        this.rt.options.random(),
      );
      agent.readyTimer = this.rt.clock.setTimeout(() => this.#register(agent), delay);
    } else {
      this.#register(agent);
    }
  }

  /** Hand queued work to the agent while it has room and the system takes new work. */
  dispatch(agent: BoundAgent): void {
    if (this.rt.phase === 'running' && agent.status === 'online') {
      for (
        let entry = this.rt.scheduler.nextFor(agent.agentId);
        entry;
        entry = this.rt.scheduler.nextFor(agent.agentId)
      ) {
        if (!this.rt.tasks.start(entry.taskId, agent) || agent.status !== 'online') break;
      }
    }
    this.#flushRelease(agent);
  }

  dispatchAll(): void {
    for (const agent of this.#agents.values()) this.dispatch(agent);
  }

  heartbeat(agent: BoundAgent): void {
    if (agent.status !== 'online') return;
    const at = this.rt.clock.now();
    agent.ref.send({ type: 'heartbeat', at });
    // A sign of life extends the store's leases on what the agent runs.
    if (this.rt.journal && agent.attempts.size > 0)
      this.rt.journal.renew(agent.agentId, agent.attempts.keys(), at);
  }

  /** Busy `auto` agents heartbeat on the clock while they hold attempts. */
  ensureHeartbeats(agent: BoundAgent): void {
    // Manual agents heartbeat themselves; isolated ones from their own event loop.
    const { heartbeat, runs } = agent.plan.declaration;
    if (heartbeat === 'manual' || (runs !== undefined && runs !== 'inline')) return;
    if (agent.pumpTimer !== undefined) return;
    agent.pumpTimer = this.rt.clock.setTimeout(() => {
      agent.pumpTimer = undefined;
      if (agent.status !== 'online' || agent.attempts.size === 0) return;
      this.heartbeat(agent);
      this.ensureHeartbeats(agent);
    }, this.rt.options.heartbeatIntervalMs);
  }

  crash(agent: BoundAgent, message: string): void {
    if (agent.status === 'lost') return;
    agent.ref.send({ type: 'crash', message, at: this.rt.clock.now() });
    // An actor that cannot take the event (already final) is lost all the same.
    this.markLost(agent, message);
  }

  /**
   * An attempt settled: give its slot back, without handing out work yet. The caller
   * reports the outcome first (which may make dependents ready) and then dispatches, so
   * the freed slot goes to the best task waiting at that moment, dependents included.
   * The agent's machine hears of it at that dispatch: as a handover to the next task,
   * or as a plain release when none is waiting.
   */
  releaseSlot(agent: BoundAgent, attempt: Attempt, succeeded: boolean): void {
    if (agent.attempts.get(attempt.taskId) !== attempt || agent.status === 'lost') return;
    agent.attempts.delete(attempt.taskId);
    if (succeeded) agent.consecutiveRestarts = 0;
    this.rt.scheduler.release(agent.agentId, attempt.requirement);
    this.#flushRelease(agent);
    agent.pendingRelease = attempt.taskId;
  }

  /** A task reserved on the agent ended before it started. */
  releaseReservation(agentId: string, taskId: string, requirement: Requirement): void {
    const agent = this.#agents.get(agentId);
    if (!agent || agent.status === 'lost') return;
    this.rt.scheduler.release(agentId, requirement);
    agent.ref.send({ type: 'task.release', taskId, at: this.rt.clock.now() });
    this.dispatch(agent);
  }

  /** The agent's actor is gone or going: reschedule what it held. Idempotent. */
  markLost(agent: BoundAgent, reason: string): void {
    if (agent.status === 'lost') return;
    agent.status = 'lost';
    agent.pendingRelease = undefined;
    this.rt.threads.dispose(agent, `lost: ${reason}`);
    if (agent.readyTimer !== undefined) this.rt.clock.clearTimeout(agent.readyTimer);
    if (agent.pumpTimer !== undefined) this.rt.clock.clearTimeout(agent.pumpTimer);
    if (this.rt.scheduler.hasAgent(agent.agentId)) this.rt.scheduler.removeAgent(agent.agentId);
    const held = [...agent.attempts.values()];
    agent.attempts.clear();
    for (const attempt of held) {
      this.rt.attempts.abandon(attempt, `agent ${agent.agentId} lost: ${reason}`);
      this.rt.tasks.agentLost(attempt.taskId, agent.agentId);
    }
  }

  /** Every agent whose actor path lies under `pathPrefix` is lost (its supervisor went). */
  markSubtreeLost(pathPrefix: string, reason: string): void {
    for (const agent of this.#agents.values()) {
      if (agent.plan.path.startsWith(pathPrefix)) this.markLost(agent, reason);
    }
  }

  list(): AgentStatus[] {
    return [...this.#agents.values()].map((agent) => {
      const snapshot = agent.ref.getSnapshot() as { value: unknown; context?: { tasks?: object } };
      return {
        id: agent.agentId,
        state: agent.status === 'lost' ? 'lost' : stateName(snapshot.value),
        capabilities: agent.plan.declaration.capabilities ?? [],
        tasks: [...agent.attempts.keys()],
        restarts: agent.restarts,
      };
    });
  }

  /** Forget an agent removed from the system: it is lost, and never bound again. */
  forget(agent: BoundAgent): void {
    this.markLost(agent, 'removed from the system');
    this.#agents.delete(agent.agentId);
    this.plans.delete(agent.agentId);
  }

  stopAll(): void {
    for (const agent of this.#agents.values()) this.markLost(agent, 'system stopped');
  }

  /** Releases in the agent's machine a task no dispatch handed over. */
  #flushRelease(agent: BoundAgent): void {
    const taskId = agent.pendingRelease;
    if (taskId === undefined) return;
    agent.pendingRelease = undefined;
    if (agent.status !== 'lost')
      agent.ref.send({ type: 'task.release', taskId, at: this.rt.clock.now() });
  }

  #register(agent: BoundAgent): void {
    agent.readyTimer = undefined;
    if (agent.status !== 'starting' || agent.ref.getSnapshot().status !== 'active') return;
    agent.ref.send({ type: 'ready', at: this.rt.clock.now() });
    agent.status = 'online';
    const { declaration } = agent.plan;
    if (declaration.runs === 'thread' || declaration.runs === 'process')
      this.rt.threads.prepare(agent);
    this.rt.scheduler.addAgent({
      id: agent.agentId,
      capabilities: new Set(declaration.capabilities ?? []),
      limits: declaration.resources ?? {},
      slots: declaration.concurrency ?? 1,
    });
    this.rt.events.publish({
      type: 'agent.registered',
      agentId: agent.agentId,
      capabilities: declaration.capabilities ?? [],
      resources: declaration.resources ?? {},
      slots: declaration.concurrency ?? 1,
      at: this.rt.clock.now(),
    });
    this.dispatch(agent);
  }

  #onAgentEvent(agent: BoundAgent, event: AgentEmitted): void {
    if (this.#agents.get(agent.agentId) !== agent) return;
    const at = this.rt.clock.now();
    switch (event.type) {
      case 'agent.busy':
        if (this.rt.events.wants('agent.busy')) this.rt.events.publish({ ...event, at });
        return;
      case 'agent.idle':
        if (this.rt.events.wants('agent.idle')) this.rt.events.publish({ ...event, at });
        return;
      case 'agent.unresponsive':
        this.rt.events.publish({ ...event, at });
        agent.ref.send({ type: 'terminate', at });
        return;
      case 'agent.failed':
        this.rt.events.publish({
          type: 'agent.failed',
          agentId: agent.agentId,
          exit: event.exit,
          at,
        });
        this.markLost(agent, event.exit.message ?? event.exit.reason);
        return;
      case 'agent.stopped':
        this.markLost(agent, 'stopped');
        return;
      case 'agent.child.error':
        this.rt.tasks.actorFailed(event.childId, event.message);
        return;
      default:
        return;
    }
  }
}

function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [parent, child] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  return typeof child === 'string' ? child : String(parent);
}
