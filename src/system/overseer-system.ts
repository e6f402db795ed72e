// A running overseer system: the root supervisor's actor tree, the scheduler, the task
// coordinator and the agent pool, behind the public API services call.
import { nanoid } from 'nanoid';
import { type AnyActorRef, createActor } from 'xstate';
import { agentMachine } from '../../machines/agent.js';
import { supervisorTree } from '../../machines/supervisor-tree.js';
import type { AgentDeclaration } from '../agents/agent-declaration.js';
import { AgentPool, type AgentStatus } from '../agents/agent-pool.js';
import { AttemptRunner } from '../agents/attempt-runner.js';
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
import { Scheduler } from '../scheduling/scheduler.js';
import { planSupervision } from '../supervision/supervision-plan.js';
import { watchSupervisor } from '../supervision/tree-watcher.js';
import { TaskCoordinator } from '../tasks/task-coordinator.js';
import { TaskIntake } from '../tasks/task-intake.js';
import {
  isTerminal,
  statusOf,
  type TaskHandle,
  type TaskRecord,
  type TaskStatus,
} from '../tasks/task-record.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { validateDeclarations } from '../validation/validate-agent-declaration.js';
import { addAgent, type DeclaredAgent, declaredOf, removeAgent } from './agent-membership.js';
import { realClock } from './clock.js';
import { completionRate } from './completion-rate.js';
import { EventStream } from './event-stream.js';
import { indexScheduler } from './indexed-scheduler.js';
import { KeepAlive } from './keep-alive.js';
import type { Runtime, SystemPhase } from './runtime.js';
import { settlementOf } from './settlement.js';
import type { OverseerEvent, OverseerEventOf, OverseerEventType } from './system-events.js';
import { resolveOptions, type SystemOptions } from './system-options.js';
import { type SystemStats, statsOf } from './system-stats.js';

export class OverseerSystem {
  readonly #rt: Runtime & { phase: SystemPhase };
  readonly #intake: TaskIntake;
  readonly #plan;
  readonly #rate = completionRate(64);
  readonly #metrics: MetricsCollector;
  #endTraces: (() => void) | undefined;
  readonly #keepAlive = new KeepAlive();
  #root: AnyActorRef | undefined;
  #drained: { promise: Promise<void>; resolve(): void } | undefined;
  /** What the declared agents offer, for NoCapableAgent; refreshed as agents join and leave. */
  #declared: DeclaredAgent[] = [];

  constructor(options: SystemOptions = {}) {
    const resolved = resolveOptions(options);
    validateDeclarations(resolved.agents);
    this.#plan = planSupervision(resolved.agents, {
      strategy: resolved.strategy,
      intensity: resolved.intensity,
      heartbeatTimeoutMs: resolved.heartbeatTimeoutMs,
      maxChildren: resolved.maxChildrenPerSupervisor,
    });
    const events = new EventStream();
    const rt = {
      options: resolved,
      clock: resolved.clock,
      events,
      scheduler: new Scheduler({
        order: resolved.order,
        agentPick: resolved.agentPick,
        ...(resolved.agingMs === undefined ? {} : { agingMs: resolved.agingMs }),
      }),
      phase: 'created' as SystemPhase,
      journal: resolved.store
        ? new TaskJournal({
            store: resolved.store,
            events,
            runId: nanoid(8),
            leaseMs: resolved.leaseMs,
            logger: resolved.logger,
          })
        : undefined,
    } as Runtime & {
      phase: SystemPhase;
      tasks: TaskCoordinator;
      agents: AgentPool;
      attempts: AttemptRunner;
      threads: AgentHosts;
    };
    rt.tasks = new TaskCoordinator(rt);
    rt.agents = new AgentPool(rt, this.#plan.agents);
    rt.attempts = new AttemptRunner(rt);
    rt.threads = new AgentHosts(rt);
    this.#rt = rt;
    rt.events.on('task.completed', () => this.#rate.record(rt.clock.now()));
    if (resolved.clock === realClock) {
      const settle = () => this.#keepAlive.update(rt.tasks.unfinished > 0 && this.#live());
      for (const type of ['task.completed', 'task.failed', 'task.cancelled'] as const)
        rt.events.on(type, settle);
    }
    this.#metrics = collectMetrics(rt);
    logEvents(rt.events, resolved.logger);
    if (resolved.tracer)
      this.#endTraces = traceAttempts(rt.events, resolved.tracer, () => rt.clock.now());
    this.#declared = declaredOf(this.#plan.agents);
    this.#intake = new TaskIntake({
      now: () => rt.clock.now(),
      defaultRetry: resolved.retry,
      newTaskId: resolved.newTaskId,
      capacity: resolved.queueCapacity,
      unmatchedCapability: resolved.unmatchedCapability,
      declared: () => this.#declared,
      records: rt.tasks.records,
      unfinished: () => rt.tasks.unfinished,
      throughputPerMs: () => this.#rate.perMs(rt.clock.now()),
    });
    rt.tasks.onForget = (record) => this.#intake.forget(record);
  }

  /** Where the system is in its life: created, running, draining, stopped or failed. */
  get phase(): SystemPhase {
    return this.#rt.phase;
  }

  /** The root supervisor's actor, e.g. to inspect the tree. Undefined before `start()`. */
  get rootActor(): AnyActorRef | undefined {
    return this.#root;
  }

  /** Starts the supervision tree; agents register and queued tasks begin to run. */
  start(): this {
    if (this.#rt.phase !== 'created') throw new SystemNotRunning('start', this.#rt.phase);
    const { options } = this.#rt;
    const root = createActor(supervisorTree(agentMachine), {
      id: 'supervisor:root',
      input: this.#plan.root,
      clock: options.clock,
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    indexScheduler(root);
    this.#root = root;
    this.#rt.tasks.root = root;
    this.#rt.phase = 'running';
    if (options.clock === realClock) this.#keepAlive.update(this.#rt.tasks.unfinished > 0);
    root.start();
    watchSupervisor(this.#rt, root, '', 'root', { onRootFailed: () => this.#fail() });
    if (options.store) recover(this.#rt, options.store, this.#intake);
    this.#rt.tasks.requeueAll();
    return this;
  }

  /** Validates and accepts a task; resolves to its handle once accepted. */
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

  cancel(taskId: string, reason = 'cancelled'): void {
    this.#rt.tasks.cancel(this.#record(taskId), reason);
  }

  task(taskId: string): TaskStatus {
    return statusOf(this.#record(taskId));
  }

  /** Adds an agent (or its replicas) to the running system, supervised by the root. Returns the agent ids. */
  addAgent(declaration: AgentDeclaration): string[] {
    if (!this.#root || this.#rt.phase !== 'running')
      throw new SystemNotRunning('add an agent', this.#rt.phase);
    const ids = addAgent(this.#rt, this.#root, this.#plan.agents, declaration);
    this.#declared = declaredOf(this.#plan.agents);
    return ids;
  }

  /** Stops and removes an agent; the tasks it ran are rescheduled (the attempt counts). */
  removeAgent(agentId: string): void {
    if (!this.#root) throw new SystemNotRunning('remove an agent', this.#rt.phase);
    removeAgent(this.#rt, this.#root, agentId);
    this.#declared = declaredOf(this.#plan.agents);
  }

  agents(): AgentStatus[] {
    return this.#rt.agents.list();
  }

  stats(): SystemStats {
    return statsOf(
      this.#rt.tasks,
      this.#rt.agents.list(),
      this.#rt.agents.restartCount,
      this.#rt.scheduler.readyCount,
    );
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
    return this.#rt.events.on(type, listener);
  }

  /** Every event from now until the system stops. */
  events(): AsyncIterableIterator<OverseerEvent> {
    return this.#rt.events.iterate();
  }

  /** Stop handing out tasks and resolve once running attempts have finished. Queued tasks stay queued. */
  drain(): Promise<void> {
    if (this.#rt.phase === 'running') this.#rt.phase = 'draining';
    if (this.#drained) return this.#drained.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.#drained = { promise, resolve };
    const check = () => {
      if (this.#rt.tasks.count('running') + this.#rt.tasks.count('assigned') > 0) return;
      off();
      this.#rt.events.publish({ type: 'system.drained', at: this.#rt.clock.now() });
      resolve();
    };
    const off = this.#rt.events.on('*', check);
    check();
    return promise;
  }

  /**
   * Drain, then after `timeoutMs` (on the system clock) abort what still runs and stop
   * every actor. Unfinished tasks stay unfinished; awaiting their results rejects.
   */
  async stop({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#rt.phase === 'stopped') return;
    if (this.#rt.phase === 'running' || this.#rt.phase === 'draining') {
      let timer: unknown;
      await Promise.race([
        this.drain(),
        new Promise<void>(
          (resolve) => (timer = this.#rt.clock.setTimeout(() => resolve(), timeoutMs)),
        ),
      ]);
      this.#rt.clock.clearTimeout(timer);
    }
    this.#rt.phase = 'stopped';
    this.#keepAlive.update(false);
    this.#endTraces?.();
    this.#rt.agents.stopAll();
    this.#root?.stop();
    for (const record of this.#rt.tasks.records.values()) {
      if (record.settlement && !isTerminal(record.state))
        record.settlement.reject(new SystemNotRunning(`finish task ${record.task.id}`, 'stopped'));
    }
    await this.#rt.options.store?.flush();
    this.#rt.events.end();
  }

  /** Admits and registers; `durable` resolves once the store holds the new tasks. */
  #accept(
    specs: readonly unknown[],
    batch: boolean,
  ): { handles: TaskHandle[]; durable: Promise<void> | undefined } {
    const phase = this.#rt.phase;
    if (phase === 'stopped' || phase === 'failed') throw new SystemNotRunning('submit', phase);
    const { fresh, ids } = this.#intake.admit(specs, batch);
    // Written before registered, so the store has each task before anything it does.
    const durable = this.#rt.journal?.submitted(fresh);
    for (const record of fresh) this.#rt.tasks.register(record);
    if (this.#rt.options.clock === realClock && this.#live()) this.#keepAlive.update(true);
    return { handles: ids.map((id) => this.#handle(this.#record(id))), durable };
  }

  #handle(record: TaskRecord): TaskHandle {
    return {
      id: record.task.id,
      result: () =>
        this.#rt.phase === 'stopped' && !isTerminal(record.state)
          ? Promise.reject(new SystemNotRunning(`finish task ${record.task.id}`, 'stopped'))
          : record.durable
            ? record.durable.then(() => settlementOf(record).promise)
            : settlementOf(record).promise,
      status: () => statusOf(record),
      cancel: (reason?: string) => this.cancel(record.task.id, reason),
    } as TaskHandle;
  }

  #record(taskId: string): TaskRecord {
    const record = this.#rt.tasks.records.get(taskId);
    if (!record) throw new UnknownTask(taskId);
    return record;
  }

  #fail(): void {
    this.#rt.phase = 'failed';
    this.#keepAlive.update(false);
  }

  /** Whether the system hands out work (not before start, nor once draining or stopped). */
  #live(): boolean {
    return this.#rt.phase === 'running';
  }
}
