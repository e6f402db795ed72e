// A running overseer system: the public API services call, over the root supervisor's
// actor tree, the task lifecycle, the agent registry and the dispatcher between them.
import type { AnyActorRef } from 'xstate';
import type { AgentDeclaration } from '../agents/agent-declaration.js';
import type { AgentStatus } from '../agents/agent-registry.js';
import { realClock, type SystemClock } from '../core/clock.js';
import type { ListenerFaultReport } from '../core/listener-faults.js';
import type { OverseerEvent, OverseerEventOf, OverseerEventType } from '../core/system-events.js';
import { SystemNotRunning } from '../errors/index.js';
import type { LatencyObservation, MetricsSnapshot } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import { drainSupervisor } from '../supervision/shutdown.js';
import { planSupervision } from '../supervision/supervision-plan.js';
import {
  type BatchHandle,
  type BatchOptions,
  batchHandle,
  batchSpecs,
} from '../tasks/task-batch.js';
import {
  type CancelOutcome,
  statusOf,
  type TaskHandle,
  type TaskStatus,
} from '../tasks/task-record.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { eventsBound } from '../validation/validate-system-options.js';
import { addAgent, type DeclaredAgent, declaredOf, removeAgent } from './agent-membership.js';
import { completionRate } from './completion-rate.js';
import { composeSystem, type SystemParts } from './compose-system.js';
import { KeepAlive } from './keep-alive.js';
import { keepAliveUntilDone } from './keep-alive-wiring.js';
import { type AgentPlacement, OperatorControls } from './operator-controls.js';
import { type ResolvedOptions, resolveOptions } from './resolve-options.js';
import { startTree } from './start-tree.js';
import type { SystemOptions } from './system-options.js';
import type { SystemPhase } from './system-phase.js';
import { type SystemStats, statsOf } from './system-stats.js';
import { TaskAcceptance } from './task-acceptance.js';
import { drainWithin, tearDown } from './teardown.js';

/** How long `stop()` lets the supervisors shut down before it stops what remains, in ms. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export class OverseerSystem {
  readonly #options: ResolvedOptions;
  readonly #plan;
  /** The parts the facade drives, built by composeSystem. */
  readonly #p: SystemParts;
  readonly #rate = completionRate(64);
  readonly #keepAlive = new KeepAlive();
  #phase: SystemPhase = 'created';
  #root: AnyActorRef | undefined;
  #drained: Promise<void> | undefined;
  /** What the declared agents offer, for NoCapableAgent; refreshed as agents join and leave. */
  #declared: DeclaredAgent[] = [];
  readonly #operator: OperatorControls;
  readonly #acceptance: TaskAcceptance;

  constructor(options: SystemOptions = {}) {
    const o = resolveOptions(options);
    this.#options = o;
    this.#plan = planSupervision(o.agents, {
      strategy: o.strategy,
      intensity: o.intensity,
      heartbeatTimeoutMs: o.heartbeatTimeoutMs,
      maxChildren: o.maxChildrenPerSupervisor,
    });
    this.#p = composeSystem(o, this.#plan, {
      declared: () => this.#declared,
      throughputPerMs: () => this.#rate.perMs(o.clock.now()),
      storeLost: (holder) => {
        this.#p.events.publish({ type: 'store.lost', holder, at: o.clock.now() });
        this.#fail();
      },
    });
    this.#declared = declaredOf(this.#plan.agents);
    const { clock } = o;
    this.#p.events.on('task.completed', () => this.#rate.record(clock.now()));
    keepAliveUntilDone(clock, this.#p.events, this.#keepAlive, () => this.#busy());
    this.#operator = new OperatorControls(this.#p.dispatcher, this.#p.agents, this.#p.events);
    this.#acceptance = new TaskAcceptance(this.#p, clock, this.#keepAlive, {
      stopped: () => this.#phase === 'stopped',
      cancel: (taskId, reason) => this.cancel(taskId, reason),
    });
  }

  /** Where the system is in its life: created, running, draining, stopped or failed. */
  get phase(): SystemPhase {
    return this.#phase;
  }

  /** The clock the system's timers, deadlines and events run on. */
  get clock(): SystemClock {
    return this.#options.clock;
  }
  /** The `store` option: where the system writes what must outlive it. */
  get store(): Store | undefined {
    return this.#options.store;
  }

  /**
   * Where an error thrown by a listener given to this system (or to what runs on it, such
   * as a team run's `subscribe`) goes: `onListenerError`, or its default.
   */
  get listenerFaults(): ListenerFaultReport {
    return this.#p.events.faults;
  }

  /** The root supervisor's actor, e.g. to inspect the tree. Undefined before `start()`. */
  get rootActor(): AnyActorRef | undefined {
    return this.#root;
  }

  /** Starts the supervision tree; agents register and queued tasks begin to run. */
  start(): this {
    if (this.#phase !== 'created') throw new SystemNotRunning('start', this.#phase);
    const o = this.#options;
    this.#p.ownership?.claim();
    startTree(o, this.#plan.root, this.#p, {
      started: (root) => {
        this.#root = root;
        this.#phase = 'running';
        if (o.clock === realClock) this.#keepAlive.update(this.#p.book.unfinished > 0);
      },
      departed: (ids) => this.#departed(ids),
      rootFailed: () => this.#fail(),
    });
    return this;
  }

  /** Validates and accepts a task; resolves to its handle once accepted (durable, with a store). */
  async submit<Input = unknown, Output = unknown>(
    spec: TaskSpec<Input, Output>,
  ): Promise<TaskHandle<Output>> {
    const admitted = this.#acceptance.admit([spec], false, () => this.#phase);
    const { handles, durable } = 'then' in admitted ? await admitted : admitted;
    if (durable) await durable;
    return handles[0] as TaskHandle<Output>;
  }

  /** Accepts a batch whole or not at all; dependencies may point within the batch. */
  async submitMany(specs: readonly TaskSpec[]): Promise<TaskHandle[]> {
    if (!Array.isArray(specs)) throw new TypeError('submitMany expects an array of task specs');
    const admitted = this.#acceptance.admit(specs, true, () => this.#phase);
    const { handles, durable } = 'then' in admitted ? await admitted : admitted;
    if (durable) await durable;
    return handles;
  }

  /** An online batch: `submitMany` with the batch's class and deadline on each task. */
  async submitBatch(specs: readonly TaskSpec[], options: BatchOptions = {}): Promise<BatchHandle> {
    const handles = await this.submitMany(batchSpecs(specs, options, this.#options.clock.now()));
    return batchHandle(handles, (taskId, reason) => this.cancel(taskId, reason));
  }

  /**
   * Cancels a task: its machine goes to `cancelled` and a running handler's signal fires.
   * A task whose submission waits for room (a QoS class's `delay` policy) enters cancelled.
   * Returns `cancelled`, `already-finished`, or `unknown` (never submitted, or forgotten).
   */
  cancel(taskId: string, reason = 'cancelled'): CancelOutcome {
    const record = this.#p.book.get(taskId);
    if (record) return this.#p.lifecycle.cancel(record, reason);
    return this.#p.room.withdraw(taskId, reason) ? 'cancelled' : 'unknown';
  }

  task(taskId: string): TaskStatus {
    return statusOf(this.#acceptance.record(taskId));
  }

  /** Adds an agent (or its replicas) to the running system, supervised by the root. Returns the agent ids. */
  addAgent(declaration: AgentDeclaration): string[] {
    if (!this.#root || this.#phase !== 'running')
      throw new SystemNotRunning('add an agent', this.#phase);
    const ids = addAgent(this.#p.agents, this.#options, this.#root, this.#plan.agents, declaration);
    this.#declared = declaredOf(this.#plan.agents);
    return ids;
  }

  /** Stops and removes an agent; the tasks it ran are rescheduled (the attempt counts). */
  removeAgent(agentId: string): void {
    if (!this.#root) throw new SystemNotRunning('remove an agent', this.#phase);
    removeAgent(this.#p.agents, this.#root, agentId);
    this.#departed([]);
  }

  agents(): AgentStatus[] {
    return this.#p.agents.list();
  }

  /** Where an agent runs (`inline`, `thread`, `process`, `remote`); undefined for an unknown id. */
  placementOf(agentId: string): AgentPlacement | undefined {
    return this.#operator.placement(agentId);
  }

  /** Hands out no new work until `resumeDispatch()`; what runs goes on, submissions queue. */
  pauseDispatch(): void {
    this.#operator.pause(this.#phase);
  }

  resumeDispatch(): void {
    this.#operator.resume(this.#phase);
  }

  /** Whether `pauseDispatch()` holds dispatch now. */
  get dispatchPaused(): boolean {
    return this.#operator.paused;
  }

  /**
   * Drains one agent through its supervisor: it finishes what it runs, takes nothing new,
   * exits and is not restarted. Resolves once it left (`agent.removed`); UnknownAgent else.
   */
  drainAgent(agentId: string): Promise<void> {
    return this.#operator.drainAgent(this.#root, this.#phase, agentId);
  }

  stats(): SystemStats {
    const { book, agents, dispatcher } = this.#p;
    return statsOf(book, agents.list(), agents.restartCount, dispatcher.readyCount);
  }

  /** Queue depth, outcomes, attempts, latencies, agent states, restarts and escalations, now. */
  metrics(): MetricsSnapshot {
    return this.#p.metrics.snapshot();
  }

  /**
   * Calls `listener` with each latency the metrics record (submit-to-start, run), in ms of
   * the system clock, for exporters that keep their own histograms. Returns an unsubscribe.
   */
  onLatency(listener: (observation: LatencyObservation) => void): () => void {
    return this.#p.metrics.onLatency(listener);
  }

  on<T extends OverseerEventType | '*'>(
    type: T,
    listener: (event: T extends OverseerEventType ? OverseerEventOf<T> : OverseerEvent) => void,
  ): () => void {
    return this.#p.events.on(type, listener);
  }

  /**
   * Every event from now until the system stops; nothing is dropped. A reader that falls
   * behind makes the iterator hold what it has not read: `maxBuffered` bounds that, and past
   * it the iterator stops listening and throws EventsOverflowed once it has given what it
   * holds. Default: no bound.
   */
  events(options: { readonly maxBuffered?: number } = {}): AsyncIterableIterator<OverseerEvent> {
    return this.#p.events.iterate(eventsBound(options));
  }

  /**
   * Shuts the tree down: no new work is handed out; each supervisor stops its children in
   * reverse start order, each agent finishing its work within its `shutdownTimeoutMs` (then
   * its attempts are interrupted: no attempt counted). Queued tasks stay. Resolves when done.
   */
  drain(): Promise<void> {
    if (this.#drained) return this.#drained;
    if (this.#phase === 'running') this.#phase = 'draining';
    this.#p.dispatcher.pause();
    const root = this.#root;
    this.#drained = (root ? drainSupervisor(root) : Promise.resolve()).then(() => {
      this.#p.events.publish({ type: 'system.drained', at: this.#options.clock.now() });
    });
    return this.#drained;
  }

  /**
   * Drains, and after `timeoutMs` (default 10,000, system clock) stops every actor still
   * running: attempts are interrupted, not failed; unfinished tasks stay for a restart.
   */
  async stop({ timeoutMs = DEFAULT_STOP_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#phase === 'stopped') return;
    const { clock, store } = this.#options;
    if (this.#phase === 'running' || this.#phase === 'draining')
      await drainWithin(this.drain(), clock, timeoutMs);
    this.#phase = 'stopped';
    this.#keepAlive.update(false);
    await tearDown(this.#p, this.#root, store);
  }

  /** Agents left for good (temporary exits, removals): what no agent left can run fails. */
  #departed(agentIds: readonly string[]): void {
    for (const id of agentIds) this.#p.agents.depart(id);
    this.#declared = declaredOf(this.#plan.agents);
    if (this.#phase === 'running') this.#p.dispatcher.agentsLeft();
  }

  #fail(): void {
    this.#phase = 'failed';
    this.#p.dispatcher.pause();
    this.#keepAlive.update(false);
  }
  /** Unfinished tasks while the system hands out work: the real clock keeps the process alive. */
  #busy(): boolean {
    return this.#p.book.unfinished > 0 && this.#phase === 'running';
  }
}
