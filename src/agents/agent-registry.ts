// The agents of the running system: binds each agent actor of the supervision tree, tells
// its machine it is ready (after a backoff when it was restarted), follows what the
// machine emits (online, busy, unresponsive, failed, stopped), pumps heartbeats for busy
// `auto` agents, and reports an agent lost with the tasks its machine held.
import type { AnyActorRef } from 'xstate';
import type { AgentEmitted } from '../../machines/agent.js';
import { type Backoff, backoffDelayMs } from '../../machines/retry-policy.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { AgentHosts } from '../isolation/agent-hosts.js';
import { taskLane } from '../tasks/task-lane.js';
import type { AgentPlan } from './agent-plan.js';
import { AgentSlots } from './agent-slots.js';
import { agentStateName, type BoundAgent, heldTasks, holdsTasks, isOnline } from './bound-agent.js';

/** Why an agent is gone: a failure (its tasks' attempts count) or a shutdown (they do not). */
export type LossCause = 'failure' | 'shutdown';

export interface AgentListener {
  /** The agent's machine is online: it takes work now. */
  online(agent: BoundAgent): void;
  /** The agent is gone; `held` are the tasks its machine held a slot for. */
  lost(agent: BoundAgent, held: readonly string[], reason: string, cause: LossCause): void;
  /** The agent's machine refused the task offered to it (full, or draining). */
  refused(agent: BoundAgent, taskId: string): void;
  /** A task actor under the agent (or the root lane) crashed. */
  taskActorCrashed(actorId: string, message: string): void;
}

export interface RegistrySettings {
  readonly clock: SystemClock;
  readonly events: EventStream;
  readonly hosts: AgentHosts;
  readonly random: () => number;
  readonly restartBackoff: Backoff;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  /** Extends the store's leases on what the agent runs, when there is a store. */
  readonly renewLeases:
    | ((agentId: string, taskIds: readonly string[], at: number) => void)
    | undefined;
}

/** What `system.agents()` reports for each agent. */
export interface AgentStatus {
  readonly id: string;
  readonly state: string;
  readonly capabilities: readonly string[];
  readonly tasks: readonly string[];
  /** Tasks it may run at once, as declared (its adaptive limit is in `metrics().agentLimits`). */
  readonly concurrency: number;
  readonly restarts: number;
}

export class AgentRegistry {
  readonly #agents = new Map<string, BoundAgent>();
  #restarts = 0;
  #listener: AgentListener | undefined;

  readonly #quietHeartbeatMs: number;

  constructor(
    private readonly s: RegistrySettings,
    private readonly plans: Map<string, AgentPlan>,
  ) {
    const { heartbeatIntervalMs: interval, heartbeatTimeoutMs: timeout } = s;
    this.#quietHeartbeatMs = Math.min(interval, (timeout - interval) / 2);
  }

  listen(listener: AgentListener): void {
    this.#listener = listener;
  }

  get(agentId: string): BoundAgent | undefined {
    return this.#agents.get(agentId);
  }

  all(): IterableIterator<BoundAgent> {
    return this.#agents.values();
  }

  get restartCount(): number {
    return this.#restarts;
  }

  /** A (new) actor runs agent `agentId`: the previous one, if any, is lost. */
  bind(agentId: string, ref: AnyActorRef, supervisorId: string): void {
    const plan = this.plans.get(agentId);
    const previous = this.#agents.get(agentId);
    if (!plan || previous?.ref === ref) return;
    if (previous) this.markLost(previous, 'restarted by its supervisor', 'failure');
    const agent: BoundAgent = {
      agentId,
      plan,
      ref,
      lane: taskLane(ref, (id, message) => this.#listener?.taskActorCrashed(id, message)),
      gone: false,
      restarts: previous ? previous.restarts + 1 : 0,
      consecutiveRestarts: previous ? previous.consecutiveRestarts + 1 : 0,
      readyTimer: undefined,
      pumpTimer: undefined,
      pendingRelease: undefined,
      slots: new AgentSlots(),
      lastQuietHeartbeat: Number.NEGATIVE_INFINITY,
    };
    this.#agents.set(agentId, agent);
    ref.on('*', (event: AgentEmitted) => this.#onAgentEvent(agent, event));
    if (!previous) {
      this.#ready(agent);
      return;
    }
    this.#restarts++;
    const at = this.s.clock.now();
    this.s.events.publish({ type: 'agent.restarted', agentId, supervisorId, at });
    const delay = backoffDelayMs(this.s.restartBackoff, agent.consecutiveRestarts, this.s.random());
    agent.readyTimer = this.s.clock.setTimeout(() => this.#ready(agent), delay);
  }

  heartbeat(agent: BoundAgent): void {
    if (!isOnline(agent)) return;
    const at = this.s.clock.now();
    agent.ref.send({ type: 'heartbeat', at });
    // A sign of life extends the store's leases on what the agent runs.
    if (this.s.renewLeases && holdsTasks(agent))
      this.s.renewLeases(agent.agentId, heldTasks(agent), at);
  }

  /**
   * A task took over the slot of the task that just ended, unheard by the agent's machine
   * (quiet slots): finishing a task proves the agent alive, which the machine hears as a
   * heartbeat, at most once per `quietHeartbeatMs`. That is short enough that an agent
   * finishing a task at least once per heartbeat interval is never timed out: the proof
   * it sends is never older than half the margin between interval and timeout.
   */
  quietHandover(agent: BoundAgent, at: number): void {
    if (at - agent.lastQuietHeartbeat < this.#quietHeartbeatMs) return;
    agent.lastQuietHeartbeat = at;
    this.heartbeat(agent);
  }

  /** Busy `auto` agents heartbeat on the clock while their machine holds tasks. */
  ensureHeartbeats(agent: BoundAgent): void {
    // Manual agents heartbeat themselves; isolated ones from their own event loop.
    const { heartbeat, runs } = agent.plan.declaration;
    if (heartbeat === 'manual' || (runs !== undefined && runs !== 'inline')) return;
    if (agent.pumpTimer !== undefined) return;
    agent.pumpTimer = this.s.clock.setTimeout(() => {
      agent.pumpTimer = undefined;
      if (!isOnline(agent) || !holdsTasks(agent)) return;
      this.heartbeat(agent);
      this.ensureHeartbeats(agent);
    }, this.s.heartbeatIntervalMs);
  }

  /** The agent is broken: its machine fails, and its supervisor decides what follows. */
  crash(agent: BoundAgent, message: string): void {
    if (agent.gone) return;
    agent.ref.send({ type: 'crash', message, at: this.s.clock.now() });
    // An actor that cannot take the event (already final) is lost all the same.
    this.markLost(agent, message, 'failure');
  }

  /** The agent's actor is gone or going: report what its machine held. Idempotent. */
  markLost(agent: BoundAgent, reason: string, cause: LossCause): void {
    if (agent.gone) return;
    agent.gone = true;
    agent.pendingRelease = undefined;
    this.s.hosts.dispose(agent, `lost: ${reason}`);
    if (agent.readyTimer !== undefined) this.s.clock.clearTimeout(agent.readyTimer);
    if (agent.pumpTimer !== undefined) this.s.clock.clearTimeout(agent.pumpTimer);
    const held = heldTasks(agent);
    agent.slots.clear();
    this.#listener?.lost(agent, held, reason, cause);
  }

  /** Every agent whose actor path lies under `pathPrefix` is lost (its supervisor went). */
  markSubtreeLost(pathPrefix: string, reason: string, cause: LossCause): void {
    // Reverse start order, as the supervisor stops them.
    for (const agent of [...this.#agents.values()].reverse()) {
      if (agent.plan.path.startsWith(pathPrefix)) this.markLost(agent, reason, cause);
    }
  }

  list(): AgentStatus[] {
    return [...this.#agents.values()].map((agent) => ({
      id: agent.agentId,
      state: agentStateName(agent),
      capabilities: agent.plan.declaration.capabilities ?? [],
      tasks: agent.gone ? [] : heldTasks(agent),
      concurrency: agent.plan.declaration.concurrency ?? 1,
      restarts: agent.restarts,
    }));
  }

  /** An agent that exited for good (not restarted): listed as lost, no longer declared. */
  depart(agentId: string): void {
    const agent = this.#agents.get(agentId);
    if (agent) this.markLost(agent, 'exited and not restarted', 'failure');
    this.plans.delete(agentId);
    if (agent) {
      const at = this.s.clock.now();
      this.s.events.publish({
        type: 'agent.removed',
        agentId,
        reason: 'exited and not restarted',
        at,
      });
    }
  }

  /** Forget an agent removed from the system: it is lost, and never bound again. */
  forget(agentId: string, reason: string): void {
    const agent = this.#agents.get(agentId);
    if (agent) this.markLost(agent, reason, 'failure');
    this.#agents.delete(agentId);
    this.plans.delete(agentId);
    if (agent)
      this.s.events.publish({ type: 'agent.removed', agentId, reason, at: this.s.clock.now() });
  }

  /** An isolated agent is ready once its thread, process or node said so; an inline one at once. */
  #ready(agent: BoundAgent): void {
    agent.readyTimer = undefined;
    if (agent.gone || agent.ref.getSnapshot().status !== 'active') return;
    const { runs } = agent.plan.declaration;
    if (runs !== undefined && runs !== 'inline') this.s.hosts.prepare(agent);
    else this.sideReady(agent);
  }

  /** The agent's side (its thread, process or this process) is up: its machine goes online. */
  sideReady(agent: BoundAgent): void {
    if (agent.gone || agent.ref.getSnapshot().status !== 'active') return;
    agent.ref.send({ type: 'ready', at: this.s.clock.now() });
  }

  #online(agent: BoundAgent): void {
    const { declaration } = agent.plan;
    this.s.events.publish({
      type: 'agent.registered',
      agentId: agent.agentId,
      capabilities: declaration.capabilities ?? [],
      resources: declaration.resources ?? {},
      slots: declaration.concurrency ?? 1,
      at: this.s.clock.now(),
    });
    this.#listener?.online(agent);
  }

  #onAgentEvent(agent: BoundAgent, event: AgentEmitted): void {
    if (this.#agents.get(agent.agentId) !== agent || agent.gone) return;
    const at = this.s.clock.now();
    const { events } = this.s;
    switch (event.type) {
      case 'agent.ready':
        this.#online(agent);
        return;
      case 'agent.busy':
        if (events.wants('agent.busy')) events.publish({ ...event, at });
        this.ensureHeartbeats(agent);
        return;
      case 'agent.idle':
        if (events.wants('agent.idle')) events.publish({ ...event, at });
        return;
      case 'agent.rejected':
        this.#listener?.refused(agent, agent.slots.taskOf(event.taskId));
        return;
      case 'agent.unresponsive':
        events.publish({ ...event, tasks: agent.slots.tasksOf(event.tasks), at });
        agent.ref.send({ type: 'terminate', at });
        return;
      case 'agent.failed':
        events.publish({ type: 'agent.failed', agentId: agent.agentId, exit: event.exit, at });
        this.markLost(agent, event.exit.message ?? event.exit.reason, 'failure');
        return;
      case 'agent.stopped':
        // Drained or stopped: only a shutdown stops an agent that still holds tasks.
        this.markLost(agent, 'stopped', 'shutdown');
        return;
    }
  }
}
