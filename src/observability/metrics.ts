// The metrics a system keeps about itself, read with `system.metrics()`: queue depth by
// state and by QoS class, outcomes, attempts, submit-to-start and run latency, agent
// states, restarts and escalations. Counted from the system's own events at O(1) per
// event with one task-record lookup and no allocation; what is already counted elsewhere
// (tasks by state and by class, restarts) is read at snapshot time, not kept twice. A
// system with QoS classes also keeps each class's figures (class-metrics.ts), with one
// small entry per unfinished task for its timing; each agent's limit comes from its events.

import type { QosOptions } from '../../machines/qos-classes.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import { callListener } from '../core/listener-faults.js';
import type { TaskRef } from '../core/system-events.js';
import type { TaskBook } from '../tasks/task-book.js';
import type { TaskRecord } from '../tasks/task-record.js';
import { type AgentLimit, watchAgentLimits } from './agent-limits.js';
import { watchClasses } from './class-metrics.js';
import type { ClassOutcome } from './class-outcomes.js';
import { type HistogramSnapshot, LatencyHistogram } from './latency-histogram.js';
import { type ToolFigures, watchTools } from './tool-metrics.js';

export type { HistogramSnapshot } from './latency-histogram.js';

/** What `system.metrics()` returns: the system's figures at one moment of its clock. */
export interface MetricsSnapshot {
  /** Clock time of the snapshot, in ms. */
  readonly at: number;
  /** Unfinished tasks (queue depth) by state, and by QoS class. */
  readonly queue: {
    /** Waiting for dependencies. */
    readonly blocked: number;
    /** In the scheduler's queue, waiting for an agent. */
    readonly ready: number;
    /** Placed on an agent, not started yet. */
    readonly assigned: number;
    readonly running: number;
    /** Between a failed attempt and its retry (backing off). */
    readonly retrying: number;
    /** Unfinished tasks by the spec's `qos` (`default` when unset); classes at 0 are left out. */
    readonly byClass: Readonly<Record<string, number>>;
  };
  /** Tasks by outcome since the system was created. */
  readonly tasks: {
    readonly submitted: number;
    readonly completed: number;
    readonly failed: number;
    readonly cancelled: number;
  };
  readonly attempts: {
    /** Attempts started (first runs and retries). */
    readonly started: number;
    /** Attempts that failed and were followed by a retry. */
    readonly retried: number;
    /**
     * Finished tasks by how many attempts they started, e.g. `{ 1: 950, 2: 48, 3: 2 }`;
     * `0` counts tasks that ended before any attempt (cancelled, deadline, failed dependency).
     */
    readonly perFinishedTask: Readonly<Record<number, number>>;
  };
  readonly latency: {
    /** From submit to the first attempt's start, in ms of the system clock. */
    readonly submitToStartMs: HistogramSnapshot;
    /** From an attempt's start to its end (completed, failed, retrying, cancelled), in ms. */
    readonly runMs: HistogramSnapshot;
  };
  /** Agents by state (`starting`, `idle`, `busy`, `draining`, `unresponsive`, `lost`...); states at 0 are left out. */
  readonly agents: Readonly<Record<string, number>>;
  /** Agents restarted by their supervisor. */
  readonly restarts: number;
  /** Supervisors that exceeded their restart intensity and failed to their parent. */
  readonly escalations: number;
  /**
   * Per QoS class, with `createSystem({ qos })`: outcomes, SLO attainment, refusals,
   * goodput, busy and wasted run time, queueing delay and the controller's mode (else empty).
   */
  readonly qos: Readonly<Record<string, ClassOutcome>>;
  /** Per agent id: its adaptive limit and circuit breaker (declared concurrency and closed until reported). */
  readonly agentLimits: Readonly<Record<string, AgentLimit>>;
  /** Per tool called so far (`createSystem({ tools })`): calls by outcome, handler runs, call latency. */
  readonly tools: Readonly<Record<string, ToolFigures>>;
}

/** One latency the metrics recorded, in ms: for exporters that keep their own histograms. */
export interface LatencyObservation {
  readonly kind: 'submit-to-start' | 'run';
  readonly ms: number;
  readonly taskType: string;
}

/** A system's metrics as it keeps them: `system.metrics()` and `system.onLatency()` read this. */
export interface MetricsCollector {
  snapshot(): MetricsSnapshot;
  /** Calls `listener` with each latency as it is recorded. Returns an unsubscribe. */
  onLatency(listener: (observation: LatencyObservation) => void): () => void;
}

/** What the metrics read: the system's events, clock, tasks and agents. */
export interface MetricsSources {
  readonly events: EventStream;
  readonly clock: SystemClock;
  readonly tasks: TaskBook;
  readonly agents: AgentRegistry;
  readonly qos: QosOptions | undefined;
}

/** Starts counting `rt`'s events; call before any task is submitted, so none is missed. */
export function collectMetrics(rt: MetricsSources): MetricsCollector {
  const submitToStart = new LatencyHistogram();
  const run = new LatencyHistogram();
  const { records } = rt.tasks;
  const classes = rt.qos && watchClasses({ ...rt, records, qos: rt.qos });
  const limits = watchAgentLimits(rt.events, rt.agents);
  const tools = watchTools(rt.events);
  /** Index: attempts a finished task started; value: how many tasks. */
  const perFinishedTask: number[] = [];
  const listeners = new Set<(o: LatencyObservation) => void>();
  const counts = { submitted: 0, started: 0, retried: 0, escalations: 0 };
  // Tasks whose last run ended in a retry and that have not started again: a later end
  // (cancel or deadline while backing off or queued) ends no run. Empty unless tasks
  // retry, so the common start-to-completion path touches no set keyed by task.
  const awaitingRetry = new Set<TaskRecord>();

  const observe = (kind: LatencyObservation['kind'], ms: number, record: TaskRecord) => {
    (kind === 'run' ? run : submitToStart).record(ms);
    if (listeners.size === 0) return;
    const observation = { kind, ms, taskType: record.task.type };
    for (const fn of listeners) callListener(fn, observation, 'onLatency', rt.events.faults);
  };
  const endRun = (record: TaskRecord, at: number) => {
    if (record.startedAt !== undefined) observe('run', at - record.startedAt, record);
  };
  const finish = (e: TaskRef & { type: 'task.completed' | 'task.failed' | 'task.cancelled' }) => {
    const record = records.get(e.taskId);
    if (!record) return;
    // Ran until now unless its last run already ended in a retry (retrying leaves only running).
    if (!(awaitingRetry.size > 0 && awaitingRetry.delete(record))) endRun(record, e.at);
    perFinishedTask[record.attempts] = (perFinishedTask[record.attempts] ?? 0) + 1;
  };

  const { events } = rt;
  events.on('task.submitted', () => counts.submitted++);
  events.on('task.started', (e) => {
    counts.started++;
    const record = records.get(e.taskId);
    if (!record) return;
    if (e.attempt === 1) observe('submit-to-start', e.at - record.submittedAt, record);
    else awaitingRetry.delete(record);
  });
  events.on('task.retrying', (e) => {
    counts.retried++;
    const record = records.get(e.taskId);
    if (!record) return;
    endRun(record, e.at);
    awaitingRetry.add(record);
  });
  events.on('task.completed', finish);
  events.on('task.failed', finish);
  events.on('task.cancelled', finish);
  events.on('supervisor.escalated', () => counts.escalations++);

  return {
    onLatency(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => ({
      at: rt.clock.now(),
      queue: { ...queueDepth(rt), byClass: rt.tasks.unfinishedByClass() },
      tasks: {
        submitted: counts.submitted,
        completed: rt.tasks.count('completed'),
        failed: rt.tasks.count('failed'),
        cancelled: rt.tasks.count('cancelled'),
      },
      attempts: {
        started: counts.started,
        retried: counts.retried,
        perFinishedTask: sparse(perFinishedTask),
      },
      latency: { submitToStartMs: submitToStart.snapshot(), runMs: run.snapshot() },
      agents: agentStates(rt),
      restarts: rt.agents.restartCount,
      escalations: counts.escalations,
      qos: classes ? classes.snapshot() : {},
      agentLimits: limits.snapshot(),
      tools: tools.snapshot(),
    }),
  };
}

function queueDepth({ tasks }: MetricsSources) {
  return {
    blocked: tasks.count('blocked'),
    ready: tasks.count('ready'),
    assigned: tasks.count('assigned'),
    running: tasks.count('running'),
    retrying: tasks.count('retrying'),
  };
}

function agentStates(rt: MetricsSources): Record<string, number> {
  const agents: Record<string, number> = {};
  for (const agent of rt.agents.list()) agents[agent.state] = (agents[agent.state] ?? 0) + 1;
  return agents;
}

function sparse(counts: readonly number[]): Record<number, number> {
  const out: Record<number, number> = {};
  counts.forEach((n, attempts) => {
    if (n > 0) out[attempts] = n;
  });
  return out;
}
