// The composition root: builds a system's parts and hands each its collaborators through
// its constructor. Nothing here holds them afterwards; the facade does.
import { nanoid } from 'nanoid';
import { AgentRegistry } from '../agents/agent-registry.js';
import { SupervisorLink } from '../cluster/supervisor-link.js';
import { EventStream } from '../core/event-stream.js';
import { listenerFaults } from '../core/listener-faults.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import { StoreOwnership } from '../durability/store-ownership.js';
import { TaskJournal } from '../durability/task-journal.js';
import { AgentHosts } from '../isolation/agent-hosts.js';
import { logEvents } from '../observability/event-logging.js';
import { collectMetrics, type MetricsCollector } from '../observability/metrics.js';
import { traceAttempts } from '../observability/task-tracing.js';
import { AgentLimits } from '../qos/agent-limits.js';
import { QosControl } from '../qos/qos-control.js';
import { agentCanEverServe } from '../scheduling/requirement.js';
import { clusterPlaceOf } from '../store/postgres/cluster-place.js';
import type { SupervisionPlan } from '../supervision/supervision-plan.js';
import { TaskBook } from '../tasks/task-book.js';
import { TaskIntake } from '../tasks/task-intake.js';
import { TaskLifecycle } from '../tasks/task-lifecycle.js';
import { ToolSet } from '../tools/tool-set.js';
import type { DeclaredAgent } from './agent-membership.js';
import { ClassRoom } from './class-room.js';
import type { ResolvedOptions } from './resolve-options.js';

export interface SystemParts {
  readonly events: EventStream;
  readonly journal: TaskJournal | undefined;
  /** The system's claim on its store: one live system per store. */
  readonly ownership: StoreOwnership | undefined;
  readonly book: TaskBook;
  readonly intake: TaskIntake;
  readonly lifecycle: TaskLifecycle;
  readonly agents: AgentRegistry;
  readonly dispatcher: Dispatcher;
  readonly qos: QosControl | undefined;
  readonly limits: AgentLimits | undefined;
  /** Where submissions to a class under the `delay` policy wait for room. */
  readonly room: ClassRoom;
  readonly metrics: MetricsCollector;
  readonly endTraces: (() => void) | undefined;
  /** The cluster link of remote agents, with a PostgreSQL store. */
  readonly link: SupervisorLink | undefined;
}

export interface FacadeFacts {
  /** What the declared agents offer now. */
  declared(): readonly DeclaredAgent[];
  /** Recent completions per ms, for QueueFull's retry hint. */
  throughputPerMs(): number;
  /** Another live system took the store over: this one must not go on. */
  storeLost(holder: string): void;
}

export function composeSystem(
  o: ResolvedOptions,
  plan: SupervisionPlan,
  facts: FacadeFacts,
): SystemParts {
  const { clock } = o;
  const events = new EventStream(listenerFaults(o.onListenerError, o.logger));
  const runId = nanoid(8);
  const journal = o.store
    ? new TaskJournal({
        store: o.store,
        events,
        runId,
        leaseMs: o.leaseMs,
        startWriteDelayMs: o.startWriteDelayMs,
        clock,
        logger: o.logger,
      })
    : undefined;
  const ownership = o.store
    ? new StoreOwnership(o.store, clock, o.leaseMs, runId, (holder) => facts.storeLost(holder))
    : undefined;
  // What the system forgets its store forgets too, unless told to keep it as an archive.
  const storeForgets = o.keepFinishedInStore ? undefined : o.store?.forgetFinished?.bind(o.store);
  const book: TaskBook = new TaskBook(o.retainFinished, (record) => {
    intake.forget(record);
    try {
      storeForgets?.([record.task.id]);
    } catch (error) {
      // Only retention: the task stays in the store until compacted; nothing else is lost.
      const err = error instanceof Error ? error.message : String(error);
      o.logger.warn({ err, taskId: record.task.id }, 'store: could not forget a finished task');
    }
  });
  const place = clusterPlaceOf(o.store);
  const link = place ? new SupervisorLink(place, o) : undefined;
  const hosts = new AgentHosts({
    openRemote: link && ((data, on) => link.openChannel(data, on)),
    heartbeatIntervalMs: o.heartbeatIntervalMs,
    heartbeat: (agent) => agents.heartbeat(agent),
    crash: (agent, reason) => agents.crash(agent, reason),
    ready: (agent) => agents.sideReady(agent),
  });
  const agents: AgentRegistry = new AgentRegistry(
    {
      clock,
      events,
      hosts,
      random: o.random,
      restartBackoff: o.restartBackoff,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      heartbeatTimeoutMs: o.heartbeatTimeoutMs,
      renewLeases: journal ? (agentId, ids, at) => journal.renew(agentId, ids, at) : undefined,
    },
    plan.agents,
  );
  const lifecycle = new TaskLifecycle({
    book,
    events,
    clock,
    random: o.random,
    journal,
    abortAttempt: (attempt, reason) => dispatcher.abort(attempt, reason),
  });
  const qos = o.qos
    ? new QosControl({
        qos: o.qos,
        clock,
        events,
        book,
        lifecycle,
        scheduler: () => dispatcher.scheduler,
      })
    : undefined;

  const limits = o.adaptiveConcurrency
    ? new AgentLimits({
        options: o.adaptiveConcurrency,
        clock,
        events,
        apply: (agentId, limit) => dispatcher.scheduler.limit(agentId, limit),
        raised: (agentId) => {
          const agent = agents.get(agentId);
          if (agent) dispatcher.dispatch(agent);
        },
      })
    : undefined;
  const dispatcher: Dispatcher = new Dispatcher({
    clock,
    events,
    book,
    lifecycle,
    agents,
    hosts,
    scheduling: {
      order: o.order,
      agentPick: o.agentPick,
      ...(o.agingMs === undefined ? {} : { agingMs: o.agingMs }),
      ...(o.qos === undefined ? {} : { qos: o.qos, classEmptied: (name) => qos?.emptied(name) }),
    },
    abortGraceMs: o.abortGraceMs,
    outputSchemas: o.outputSchemas,
    tools: new ToolSet(o.tools, { clock, events, random: o.random }),
    canEverServe: (requirement) => facts.declared().some((a) => agentCanEverServe(a, requirement)),
    unmatchedCapability: o.unmatchedCapability,
    qos,
    ...(limits && { agentOnline: (agentId, slots) => limits.online(agentId, slots) }),
    ...((qos || limits) && {
      attemptEnded: (attempt, agentId, ok) => {
        const record = book.get(attempt.taskId);
        const now = clock.now();
        const runMs = now - (record?.startedAt ?? now);
        if (record && ok) qos?.ended(record, agentId, runMs);
        limits?.ended(agentId, ok, runMs);
      },
    }),
  });

  const metrics = collectMetrics({ events, clock, tasks: book, agents, qos: o.qos });
  logEvents(events, o.logger);
  const endTraces = o.tracer ? traceAttempts(events, o.tracer, () => clock.now()) : undefined;
  const intake: TaskIntake = new TaskIntake({
    now: () => clock.now(),
    defaultRetry: o.retry,
    newTaskId: o.newTaskId,
    capacity: o.queueCapacity,
    unmatchedCapability: o.unmatchedCapability,
    declared: facts.declared,
    records: book.records,
    unfinished: () => book.unfinished,
    qos: o.qos,
    unfinishedIn: (name) => book.unfinishedIn(name),
    throughputPerMs: facts.throughputPerMs,
    backlogs: () => dispatcher.scheduler.backlogs,
    slots: () => dispatcher.scheduler.slots,
    meanMs: (type) => qos?.times.meanMs(type) ?? 0,
    typicalMs: (type) => qos?.times.typicalMs(type) ?? 0,
    shedding: (name) => qos?.mode(name) === 'shedding',
    rejected: (refusal, requested, tasks) => qos?.rejected(refusal, requested, tasks),
  });
  return {
    events,
    journal,
    ownership,
    book,
    intake,
    lifecycle,
    agents,
    dispatcher,
    qos,
    limits,
    room: new ClassRoom(clock, events, (refusal, requested, tasks) =>
      qos?.rejected(refusal, requested, tasks),
    ),
    metrics,
    endTraces,
    link,
  };
}
