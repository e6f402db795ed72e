// The metrics a system keeps about itself, read with `system.metrics()`: queue depth by
// state and by QoS class, outcomes, attempts, submit-to-start and run latency, agent
// states, restarts and escalations. Counted from the system's own events at O(1) per
// event; what is already counted elsewhere (tasks by state, restarts) is read, not kept twice.
import type { Runtime } from '../system/runtime.js';
import { type HistogramSnapshot, LatencyHistogram } from './latency-histogram.js';

export type { HistogramSnapshot } from './latency-histogram.js';

export interface MetricsSnapshot {
  /** Clock time of the snapshot. */
  readonly at: number;
  /** Unfinished tasks by state, and by QoS class (`qos` of the spec, `default` when unset). */
  readonly queue: {
    readonly blocked: number;
    readonly ready: number;
    readonly assigned: number;
    readonly running: number;
    readonly retrying: number;
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
    /** Finished tasks by how many attempts they took, e.g. `{ 1: 950, 2: 48, 3: 2 }`. */
    readonly perFinishedTask: Readonly<Record<number, number>>;
  };
  readonly latency: {
    /** From submit to the first attempt's start, in ms of the system clock. */
    readonly submitToStartMs: HistogramSnapshot;
    /** From an attempt's start to its end (completed, failed, retrying, cancelled), in ms. */
    readonly runMs: HistogramSnapshot;
  };
  /** Agents by state (idle, busy, draining, unresponsive, lost, ...). */
  readonly agents: Readonly<Record<string, number>>;
  readonly restarts: number;
  readonly escalations: number;
}

/** One latency the metrics recorded, in ms: for exporters that keep their own histograms. */
export interface LatencyObservation {
  readonly kind: 'submit-to-start' | 'run';
  readonly ms: number;
  readonly taskType: string;
}

export interface MetricsCollector {
  snapshot(): MetricsSnapshot;
  onLatency(listener: (observation: LatencyObservation) => void): () => void;
}

export function collectMetrics(rt: Runtime): MetricsCollector {
  const submitToStart = new LatencyHistogram();
  const run = new LatencyHistogram();
  const byClass = new Map<string, number>();
  const perFinishedTask: Record<number, number> = {};
  const listeners = new Set<(o: LatencyObservation) => void>();
  const counts = { submitted: 0, started: 0, retried: 0, escalations: 0 };
  const { events } = rt;

  const observe = (kind: LatencyObservation['kind'], ms: number, taskId: string) => {
    (kind === 'run' ? run : submitToStart).record(ms);
    if (listeners.size === 0) return;
    const taskType = rt.tasks.records.get(taskId)?.task.type ?? 'unknown';
    for (const fn of listeners) fn({ kind, ms, taskType });
  };
  const classOf = (taskId: string) => rt.tasks.records.get(taskId)?.task.qos ?? 'default';
  // An attempt's run ends with whatever ends it while it is running.
  const endRun = (taskId: string, at: number) => {
    const record = rt.tasks.records.get(taskId);
    if (record?.startedAt !== undefined) observe('run', at - record.startedAt, taskId);
  };
  const finish = (taskId: string, at: number, wasRunning: boolean) => {
    if (wasRunning) endRun(taskId, at);
    const record = rt.tasks.records.get(taskId);
    const qos = record?.task.qos ?? 'default';
    byClass.set(qos, (byClass.get(qos) ?? 1) - 1);
    const attempts = record?.attempts ?? 0;
    perFinishedTask[attempts] = (perFinishedTask[attempts] ?? 0) + 1;
  };
  const running = new Set<string>();

  events.on('task.submitted', (e) => {
    counts.submitted++;
    const qos = classOf(e.taskId);
    byClass.set(qos, (byClass.get(qos) ?? 0) + 1);
  });
  events.on('task.started', (e) => {
    counts.started++;
    running.add(e.taskId);
    const record = rt.tasks.records.get(e.taskId);
    if (e.attempt === 1 && record) observe('submit-to-start', e.at - record.submittedAt, e.taskId);
  });
  events.on('task.retrying', (e) => {
    counts.retried++;
    if (running.delete(e.taskId)) endRun(e.taskId, e.at);
  });
  events.on('task.completed', (e) => finish(e.taskId, e.at, running.delete(e.taskId)));
  events.on('task.failed', (e) => finish(e.taskId, e.at, running.delete(e.taskId)));
  events.on('task.cancelled', (e) => finish(e.taskId, e.at, running.delete(e.taskId)));
  events.on('supervisor.escalated', () => counts.escalations++);

  return {
    onLatency(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot() {
      const { tasks } = rt;
      const agents: Record<string, number> = {};
      for (const agent of rt.agents.list()) agents[agent.state] = (agents[agent.state] ?? 0) + 1;
      const classes: Record<string, number> = {};
      for (const [qos, n] of byClass) if (n > 0) classes[qos] = n;
      return {
        at: rt.clock.now(),
        queue: {
          blocked: tasks.count('blocked'),
          ready: tasks.count('ready'),
          assigned: tasks.count('assigned'),
          running: tasks.count('running'),
          retrying: tasks.count('retrying'),
          byClass: classes,
        },
        tasks: {
          submitted: counts.submitted,
          completed: tasks.count('completed'),
          failed: tasks.count('failed'),
          cancelled: tasks.count('cancelled'),
        },
        attempts: {
          started: counts.started,
          retried: counts.retried,
          perFinishedTask: { ...perFinishedTask },
        },
        latency: { submitToStartMs: submitToStart.snapshot(), runMs: run.snapshot() },
        agents,
        restarts: rt.agents.restartCount,
        escalations: counts.escalations,
      };
    },
  };
}
