// `overseer/prometheus`: a system's metrics in the Prometheus exposition format, through
// prom-client. Gauges and counters are read from `system.metrics()` at scrape time (so
// they are right however late the exporter is attached); the latency histograms are fed
// from `system.onLatency` as attempts start and end.

import { Registry } from 'prom-client';
import { UNFINISHED_TASK_STATES } from '../../machines/task-states.js';
import { InvalidExporterOptions } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { MetricsSnapshot } from './metrics.js';
import { PrometheusMetricSet } from './prometheus-metric-set.js';
import { type PrometheusOptions, resolvePrometheusOptions } from './prometheus-options.js';
import { QOS_NAMES, registerQosMetrics } from './prometheus-qos.js';

export type { PrometheusOptions } from './prometheus-options.js';

/** What `prometheusMetrics` returns: the registry it filled, and the text to serve. */
export interface PrometheusExporter {
  readonly registry: Registry;
  /** The exposition text, e.g. the body of a `/metrics` response. */
  metrics(): Promise<string>;
  /** The Content-Type header for that body. */
  readonly contentType: string;
  /** Stops feeding the histograms and removes this exporter's metrics from the registry. */
  close(): void;
}

const TASK_STATES = UNFINISHED_TASK_STATES;
const OUTCOMES = ['completed', 'failed', 'cancelled'] as const;
/** Reported at 0 when no agent is in them, so their series do not come and go. */
const AGENT_STATES = ['starting', 'idle', 'busy', 'draining', 'unresponsive', 'lost'] as const;
/** Every metric's name after the prefix: checked for clashes before any is registered. */
const NAMES = [
  'tasks',
  'tasks_by_class',
  'agents',
  'tasks_submitted_total',
  'tasks_finished_total',
  'tasks_finished_by_attempts_total',
  'task_attempts_total',
  'task_retries_total',
  'agent_restarts_total',
  'supervisor_escalations_total',
  'task_submit_to_start_seconds',
  'task_run_seconds',
  ...QOS_NAMES,
] as const;

/**
 * Registers a system's metrics with a prom-client registry (a new one unless given) and
 * returns the exporter. Attach it before `start()` for the histograms to see every latency.
 * A bad option, or a registry that already holds one of the names, is an
 * `InvalidExporterOptions` naming the field; nothing is registered then.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { prometheusMetrics } from 'overseer/prometheus';
 *
 * const prometheus = prometheusMetrics(system, { labels: { system: 'thumbnails' } });
 * createServer(async (_req, res) => {
 *   res.setHeader('Content-Type', prometheus.contentType);
 *   res.end(await prometheus.metrics());
 * }).listen(9464);
 * ```
 */
export function prometheusMetrics(
  system: OverseerSystem,
  options: PrometheusOptions = {},
): PrometheusExporter {
  if (typeof system?.metrics !== 'function' || typeof system.onLatency !== 'function')
    throw new InvalidExporterOptions('system', 'expected a system from createSystem()');
  const { prefix, labels, byTaskType, ...given } = resolvePrometheusOptions(options);
  const registry = given.registry ?? new Registry();
  const taken = NAMES.find((name) => registry.getSingleMetric(prefix + name));
  if (taken !== undefined)
    throw new InvalidExporterOptions(
      'registry',
      `already holds ${prefix + taken}: give this system another prefix, or close() the exporter that registered it`,
    );
  const set = new PrometheusMetricSet(registry, prefix, labels, () => system.metrics());
  registerSnapshotMetrics(set);
  registerQosMetrics(set);
  const submitToStart = set.seconds(
    'task_submit_to_start_seconds',
    'From submit to the first attempt starting, on the system clock.',
    byTaskType,
  );
  const run = set.seconds(
    'task_run_seconds',
    'From an attempt starting to its end (completed, failed, retrying, cancelled), on the system clock.',
    byTaskType,
  );
  const off = system.onLatency(({ kind, ms, taskType }) =>
    (kind === 'run' ? run : submitToStart)(ms, taskType),
  );
  return {
    registry,
    contentType: registry.contentType,
    metrics: () => registry.metrics(),
    close() {
      off();
      set.close();
    },
  };
}

/** The gauges and counters, read from the snapshot at scrape time. */
function registerSnapshotMetrics(set: PrometheusMetricSet): void {
  const byKey = <K extends string>(keys: readonly K[], read: (key: K) => number) =>
    Object.fromEntries(keys.map((key) => [key, read(key)]));
  // A class, once seen, stays reported (at 0 when it has no unfinished task).
  const classes = new Set<string>();
  const classDepth = (s: MetricsSnapshot) => {
    for (const qos of Object.keys(s.queue.byClass)) classes.add(qos);
    return byKey([...classes], (qos) => s.queue.byClass[qos] ?? 0);
  };
  set.gauge('tasks', 'Unfinished tasks by state (queue depth).', 'state', (s) =>
    byKey(TASK_STATES, (state) => s.queue[state]),
  );
  set.gauge('tasks_by_class', 'Unfinished tasks by QoS class.', 'qos', classDepth);
  set.gauge('agents', 'Agents by state.', 'state', (s) => ({
    ...byKey(AGENT_STATES, () => 0),
    ...s.agents,
  }));
  set.counter('tasks_submitted_total', 'Tasks accepted by submit.', (s) => s.tasks.submitted);
  set.counters('tasks_finished_total', 'Tasks that reached a final state.', 'outcome', (s) =>
    byKey(OUTCOMES, (outcome) => s.tasks[outcome]),
  );
  set.counters(
    'tasks_finished_by_attempts_total',
    'Finished tasks by the number of attempts they started (0: ended before any).',
    'attempts',
    (s) => s.attempts.perFinishedTask,
  );
  set.counter(
    'task_attempts_total',
    'Attempts started, first runs and retries.',
    (s) => s.attempts.started,
  );
  set.counter(
    'task_retries_total',
    'Failed attempts followed by a retry.',
    (s) => s.attempts.retried,
  );
  set.counter('agent_restarts_total', 'Agents restarted by their supervisor.', (s) => s.restarts);
  set.counter(
    'supervisor_escalations_total',
    'Supervisors that exceeded their restart intensity and failed to their parent.',
    (s) => s.escalations,
  );
}
