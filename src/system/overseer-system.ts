// A running overseer system: the public API services call, over the root supervisor's
// actor tree, the task lifecycle, the agent registry and the dispatcher between them.
import { nanoid } from 'nanoid';
import { type AnyActorRef, createActor } from 'xstate';
import { agentMachine } from '../../machines/agent.js';
import { supervisorTree } from '../../machines/supervisor-tree.js';
import { isTerminal } from '../../machines/task-states.js';
import type { AgentDeclaration } from '../agents/agent-declaration.js';
import { AgentRegistry, type AgentStatus } from '../agents/agent-registry.js';
import { realClock } from '../core/clock.js';
import { EventStream } from '../core/event-stream.js';
import type { OverseerEvent, OverseerEventOf, OverseerEventType } from '../core/system-events.js';
import { indexScheduler } from '../core/xstate-timer-index.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import { recover } from '../durability/recovery.js';
import { TaskJournal } from '../durability/task-journal.js';
import { SystemNotRunning, UnknownTask } from '../errors/index.js';
import { AgentHosts } from '../isolation/agent-hosts.js';
import { logEvents } from '../observability/event-logging.js';
import {
  collectMetrics,
  type LatencyObservation,
  type MetricsCollector,
  type MetricsSnapshot,
} from '../observability/metrics.js';
import { traceAttempts } from '../observability/task-tracing.js';
import { agentCanEverServe } from '../scheduling/requirement.js';
import { drainSupervisor, stopSupervisor } from '../supervision/shutdown.js';
import { planSupervision } from '../supervision/supervision-plan.js';
import { watchSupervisor } from '../supervision/tree-watcher.js';
import { TaskBook } from '../tasks/task-book.js';
import { TaskIntake } from '../tasks/task-intake.js';
import { taskLane } from '../tasks/task-lane.js';
import { TaskLifecycle } from '../tasks/task-lifecycle.js';
import {
  type CancelOutcome,
  statusOf,
  type TaskHandle,
  type TaskRecord,
  type TaskStatus,
} from '../tasks/task-record.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { validateDeclarations } from '../validation/validate-agent-declaration.js';
import { addAgent, type DeclaredAgent, declaredOf, removeAgent } from './agent-membership.js';
import { completionRate } from './completion-rate.js';
import { KeepAlive } from './keep-alive.js';
import { settlementOf } from './settlement.js';
import { type ResolvedOptions, resolveOptions, type SystemOptions } from './system-options.js';
import type { SystemPhase } from './system-phase.js';
import { type SystemStats, statsOf } from './system-stats.js';

/** How long `stop()` lets the supervisors shut down before it stops what remains, in ms. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export class OverseerSystem {
  readonly #options: ResolvedOptions;
  readonly #events = new EventStream();
  readonly #book: TaskBook;
  readonly #intake: TaskIntake;
  readonly #lifecycle: TaskLifecycle;
  readonly #agents: AgentRegistry;
  readonly #dispatcher: Dispatcher;
  readonly #journal: TaskJournal | undefined;
  readonly #plan;
  readonly #rate = completionRate(64);
  readonly #metrics: MetricsCollector;
  readonly #keepAlive = new KeepAlive();
  #phase: SystemPhase = 'created';
  #endTraces: (() => void) | undefined;
  #root: AnyActorRef | undefined;
  #drained: Promise<void> | undefined;
  /** What the declared agents offer, for NoCapableAgent; refreshed as agents join and leave. */
  #declared: DeclaredAgent[] = [];

  constructor(options: SystemOptions = {}) {
    const o = resolveOptions(options);
    this.#options = o;
    validateDeclarations(o.agents);
    this.#plan = planSupervision(o.agents, {
      strategy: o.strategy,
      intensity: o.intensity,
      heartbeatTimeoutMs: o.heartbeatTimeoutMs,
      maxChildren: o.maxChildrenPerSupervisor,
    });
    const { clock } = o;
    const events = this.#events;
    const journal = o.store
      ? new TaskJournal({
          store: o.store,
          events,
          runId: nanoid(8),
          leaseMs: o.leaseMs,
          logger: o.logger,
        })
      : undefined;
    this.#journal = journal;
    this.#book = new TaskBook(o.retainFinished, (record) => this.#intake.forget(record));
    const hosts = new AgentHosts({
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      heartbeat: (agent) => this.#agents.heartbeat(agent),
      crash: (agent, reason) => this.#agents.crash(agent, reason),
    });
    this.#agents = new AgentRegistry(
      {
        clock,
        events,
        hosts,
        random: o.random,
        restartBackoff: o.restartBackoff,
        heartbeatIntervalMs: o.heartbeatIntervalMs,
        renewLeases: journal ? (agentId, ids, at) => journal.renew(agentId, ids, at) : undefined,
      },
      this.#plan.agents,
    );
    this.#lifecycle = new TaskLifecycle({
      book: this.#book,
      events,
      clock,
      random: o.random,
      journal,
      abortAttempt: (attempt, reason) => this.#dispatcher.abort(attempt, reason),
    });
    this.#dispatcher = new Dispatcher({
      clock,
      events,
      book: this.#book,
      lifecycle: this.#lifecycle,
      agents: this.#agents,
      hosts,
      scheduling: {
        order: o.order,
        agentPick: o.agentPick,
        ...(o.agingMs === undefined ? {} : { agingMs: o.agingMs }),
      },
      abortGraceMs: o.abortGraceMs,
      canEverServe: (requirement) => this.#declared.some((a) => agentCanEverServe(a, requirement)),
      unmatchedCapability: o.unmatchedCapability,
    });
    events.on('task.completed', () => this.#rate.record(clock.now()));
    if (clock === realClock) {
      const settle = () => this.#keepAlive.update(this.#book.unfinished > 0 && this.#live());
      for (const type of ['task.completed', 'task.failed', 'task.cancelled'] as const)
        events.on(type, settle);
    }
    this.#metrics = collectMetrics({ events, clock, tasks: this.#book, agents: this.#agents });
    logEvents(events, o.logger);
    if (o.tracer) this.#endTraces = traceAttempts(events, o.tracer, () => clock.now());
    this.#declared = declaredOf(this.#plan.agents);
    this.#intake = new TaskIntake({
      now: () => clock.now(),
      defaultRetry: o.retry,
      newTaskId: o.newTaskId,
      capacity: o.queueCapacity,
      unmatchedCapability: o.unmatchedCapability,
      declared: () => this.#declared,
      records: this.#book.records,
      unfinished: () => this.#book.unfinished,
      throughputPerMs: () => this.#rate.perMs(clock.now()),
    });
  }

  /** Where the system is in its life: created, running, draining, stopped or failed. */
  get phase(): SystemPhase {
    return this.#phase;
  }

  /** The root supervisor's actor, e.g. to inspect the tree. Undefined before `start()`. */
  get rootActor(): AnyActorRef | undefined {
    return this.#root;
  }

  /** Starts the supervision tree; agents register and queued tasks begin to run. */
  start(): this {
    if (this.#phase !== 'created') throw new SystemNotRunning('start', this.#phase);
    const o = this.#options;
    const root = createActor(supervisorTree(agentMachine), {
      id: 'supervisor:root',
      input: this.#plan.root,
      clock: o.clock,
      ...(o.inspect ? { inspect: o.inspect } : {}),
    });
    indexScheduler(root);
    this.#root = root;
    this.#phase = 'running';
    if (o.clock === realClock) this.#keepAlive.update(this.#book.unfinished > 0);
    root.start();
    this.#lifecycle.rootLane = taskLane(root, (id, message) =>
      this.#lifecycle.actorCrashed(id, message),
    );
    watchSupervisor(root, '', 'root', {
      agents: this.#agents,
      events: this.#events,
      clock: o.clock,
      onDeparted: (ids) => this.#departed(ids),
      onRootFailed: () => this.#fail(),
    });
    if (o.store)
      recover(o.store, {
        clock: o.clock,
        book: this.#book,
        lifecycle: this.#lifecycle,
        intake: this.#intake,
      });
    this.#dispatcher.resume();
    return this;
  }

  /** Validates and accepts a task; resolves to its handle once accepted (durable, with a store). */
  async submit<Input = unknown, Output = unknown>(
    spec: TaskSpec<Input, Output>,
  ): Promise<TaskHandle<Output>> {
    const { handles, durable } = this.#accept([spec], false);
    if (durable) await durable;
    return handles[0] as TaskHandle<Output>;
  }

  /** Accepts a batch whole or not at all; dependencies may point within the batch. */
  async submitMany(specs: readonly TaskSpec[]): Promise<TaskHandle[]> {
    if (!Array.isArray(specs)) throw new TypeError('submitMany expects an array of task specs');
    const { handles, durable } = this.#accept(specs, true);
    if (durable) await durable;
    return handles;
  }

  /**
   * Cancels a task: its machine goes to `cancelled` and a running handler's signal fires.
   * Returns `cancelled`, `already-finished`, or `unknown` (never submitted, or forgotten).
   */
  cancel(taskId: string, reason = 'cancelled'): CancelOutcome {
    const record = this.#book.get(taskId);
    if (!record) return 'unknown';
    return this.#lifecycle.cancel(record, reason);
  }

  task(taskId: string): TaskStatus {
    return statusOf(this.#record(taskId));
  }

  /** Adds an agent (or its replicas) to the running system, supervised by the root. Returns the agent ids. */
  addAgent(declaration: AgentDeclaration): string[] {
    if (!this.#root || this.#phase !== 'running')
      throw new SystemNotRunning('add an agent', this.#phase);
    const ids = addAgent(
      this.#agents,
      this.#options.heartbeatTimeoutMs,
      this.#root,
      this.#plan.agents,
      declaration,
    );
    this.#declared = declaredOf(this.#plan.agents);
    return ids;
  }

  /** Stops and removes an agent; the tasks it ran are rescheduled (the attempt counts). */
  removeAgent(agentId: string): void {
    if (!this.#root) throw new SystemNotRunning('remove an agent', this.#phase);
    removeAgent(this.#agents, this.#root, agentId);
    this.#departed([]);
  }

  agents(): AgentStatus[] {
    return this.#agents.list();
  }

  stats(): SystemStats {
    const agents = this.#agents.list();
    return statsOf(this.#book, agents, this.#agents.restartCount, this.#dispatcher.readyCount);
  }

  /** Queue depth, outcomes, attempts, latencies, agent states, restarts and escalations, now. */
  metrics(): MetricsSnapshot {
    return this.#metrics.snapshot();
  }

  /**
   * Calls `listener` with each latency the metrics record (submit-to-start, run), in ms of
   * the system clock, for exporters that keep their own histograms. Returns an unsubscribe.
   */
  onLatency(listener: (observation: LatencyObservation) => void): () => void {
    return this.#metrics.onLatency(listener);
  }

  on<T extends OverseerEventType | '*'>(
    type: T,
    listener: (event: T extends OverseerEventType ? OverseerEventOf<T> : OverseerEvent) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  /** Every event from now until the system stops. */
  events(): AsyncIterableIterator<OverseerEvent> {
    return this.#events.iterate();
  }

  /**
   * Shuts the supervision tree down: no new work is handed out, and each supervisor stops
   * its children one at a time in reverse start order, each agent finishing what it runs
   * within its `shutdownTimeoutMs` (then it is stopped and its attempts interrupted: they
   * count as no attempt). Queued tasks stay queued. Resolves once the root has stopped.
   */
  drain(): Promise<void> {
    if (this.#drained) return this.#drained;
    if (this.#phase === 'running') this.#phase = 'draining';
    this.#dispatcher.pause();
    const root = this.#root;
    this.#drained = (root ? drainSupervisor(root) : Promise.resolve()).then(() => {
      this.#events.publish({ type: 'system.drained', at: this.#options.clock.now() });
    });
    return this.#drained;
  }

  /**
   * Drains, and after `timeoutMs` (default 10,000, on the system clock) stops every actor
   * still running; their attempts are interrupted, not failed. Unfinished tasks stay
   * unfinished (a restart on the same store runs them); awaiting their results rejects.
   */
  async stop({ timeoutMs = DEFAULT_STOP_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#phase === 'stopped') return;
    const { clock, store } = this.#options;
    if (this.#phase === 'running' || this.#phase === 'draining') {
      let timer: unknown;
      const timeout = new Promise<void>((resolve) => {
        timer = clock.setTimeout(() => resolve(), timeoutMs);
      });
      await Promise.race([this.drain(), timeout]);
      clock.clearTimeout(timer);
    }
    this.#phase = 'stopped';
    this.#dispatcher.pause();
    if (this.#root) stopSupervisor(this.#root);
    this.#keepAlive.update(false);
    this.#endTraces?.();
    this.#agents.markSubtreeLost('', 'system stopped', 'shutdown');
    this.#lifecycle.stopAll();
    for (const record of this.#book.records.values()) {
      if (record.settlement && !isTerminal(record.state) && record.ending === undefined)
        record.settlement.reject(new SystemNotRunning(`finish task ${record.task.id}`, 'stopped'));
    }
    await store?.flush();
    this.#events.end();
  }

  /** Admits and registers; `durable` resolves once the store holds the new tasks. */
  #accept(
    specs: readonly unknown[],
    batch: boolean,
  ): { handles: TaskHandle[]; durable: Promise<void> | undefined } {
    const phase = this.#phase;
    if (phase === 'stopped' || phase === 'failed' || phase === 'draining')
      throw new SystemNotRunning('submit', phase);
    const { fresh, ids } = this.#intake.admit(specs, batch);
    // Written before registered, so the store has each task before anything it does.
    const durable = this.#journal?.submitted(fresh);
    for (const record of fresh) this.#lifecycle.register(record);
    if (this.#options.clock === realClock && this.#live()) this.#keepAlive.update(true);
    return { handles: ids.map((id) => this.#handle(this.#record(id))), durable };
  }

  #handle(record: TaskRecord): TaskHandle {
    const id = record.task.id;
    return {
      id,
      result: () =>
        this.#phase === 'stopped' && !isTerminal(record.state) && record.ending === undefined
          ? Promise.reject(new SystemNotRunning(`finish task ${id}`, 'stopped'))
          : record.durable
            ? record.durable.then(() => settlementOf(record).promise)
            : settlementOf(record).promise,
      status: () => statusOf(record),
      cancel: (reason?: string) => this.cancel(id, reason),
    } as TaskHandle;
  }

  #record(taskId: string): TaskRecord {
    const record = this.#book.get(taskId);
    if (!record) throw new UnknownTask(taskId);
    return record;
  }

  /** Agents left for good (temporary exits, removals): what no agent left can run fails. */
  #departed(agentIds: readonly string[]): void {
    for (const id of agentIds) this.#agents.depart(id);
    this.#declared = declaredOf(this.#plan.agents);
    if (this.#phase === 'running') this.#dispatcher.agentsLeft();
  }

  #fail(): void {
    this.#phase = 'failed';
    this.#dispatcher.pause();
    this.#keepAlive.update(false);
  }

  /** Whether the system hands out work (not before start, nor once draining or stopped). */
  #live(): boolean {
    return this.#phase === 'running';
  }
}
