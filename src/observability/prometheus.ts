// `overseer/prometheus`: a system's metrics in the Prometheus exposition format, through
// prom-client. Gauges and counters are read from `system.metrics()` at scrape time (so
// they are right however late the exporter is attached); the latency histograms are fed
// from `system.onLatency` as attempts start and end.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { InvalidExporterOptions } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { LATENCY_BUCKETS_MS } from './latency-histogram.js';
import type { MetricsSnapshot } from './metrics.js';

export interface PrometheusOptions {
  /** Registry to register with. Default: a new one (prom-client's global one is not touched). */
  readonly registry?: Registry;
  /** Prefix of every metric name. Default `overseer_`. */
  readonly prefix?: string;
  /** Label the latency histograms with the task type. Default false (types can be many). */
  readonly byTaskType?: boolean;
}

export interface PrometheusExporter {
  readonly registry: Registry;
  /** The exposition text, e.g. the body of a `/metrics` response. */
  metrics(): Promise<string>;
  /** The Content-Type header for that body. */
  readonly contentType: string;
  /** Stops feeding the histograms and removes this exporter's metrics from the registry. */
  close(): void;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TASK_STATES = ['blocked', 'ready', 'assigned', 'running', 'retrying'] as const;
const OUTCOMES = ['completed', 'failed', 'cancelled'] as const;

export function prometheusMetrics(
  system: OverseerSystem,
  options: PrometheusOptions = {},
): PrometheusExporter {
  if (typeof system?.metrics !== 'function' || typeof system.onLatency !== 'function')
    throw new InvalidExporterOptions('system', 'expected a system from createSystem()');
  const prefix = options.prefix ?? 'overseer_';
  if (typeof prefix !== 'string' || (prefix !== '' && !NAME.test(prefix)))
    throw new InvalidExporterOptions(
      'prefix',
      `must match ${NAME.source} (Prometheus metric names), got ${JSON.stringify(prefix)}`,
    );
  const registers = [options.registry ?? new Registry()] as [Registry];
  const [registry] = registers;
  // One snapshot per scrape: every collector of a scrape runs in the same turn.
  let cached: MetricsSnapshot | undefined;
  const snapshot = () => {
    if (!cached) {
      cached = system.metrics();
      queueMicrotask(() => (cached = undefined));
    }
    return cached;
  };
  const names: string[] = [];
  const name = (n: string) => {
    names.push(prefix + n);
    return prefix + n;
  };
  const gauge = (
    n: string,
    help: string,
    label: string,
    read: (s: MetricsSnapshot) => Record<string, number>,
  ) =>
    new Gauge({
      name: name(n),
      help,
      labelNames: [label],
      registers,
      collect() {
        this.reset();
        for (const [value, n] of Object.entries(read(snapshot()))) this.set({ [label]: value }, n);
      },
    });
  const counter = (n: string, help: string, read: (s: MetricsSnapshot) => number) =>
    new Counter({
      name: name(n),
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read(snapshot()));
      },
    });

  gauge('tasks', 'Unfinished tasks by state.', 'state', (s) =>
    Object.fromEntries(TASK_STATES.map((state) => [state, s.queue[state]])),
  );
  gauge('tasks_by_class', 'Unfinished tasks by QoS class.', 'qos', (s) => ({ ...s.queue.byClass }));
  gauge('agents', 'Agents by state.', 'state', (s) => ({ ...s.agents }));
  new Counter({
    name: name('tasks_finished_total'),
    help: 'Tasks that reached a final state, by outcome.',
    labelNames: ['outcome'],
    registers,
    collect() {
      this.reset();
      const s = snapshot();
      for (const outcome of OUTCOMES) this.inc({ outcome }, s.tasks[outcome]);
    },
  });
  counter('tasks_submitted_total', 'Tasks accepted by submit.', (s) => s.tasks.submitted);
  counter(
    'task_attempts_total',
    'Attempts started, first runs and retries.',
    (s) => s.attempts.started,
  );
  counter('task_retries_total', 'Failed attempts followed by a retry.', (s) => s.attempts.retried);
  counter('agent_restarts_total', 'Agents restarted by their supervisor.', (s) => s.restarts);
  counter(
    'supervisor_escalations_total',
    'Supervisors that exceeded their restart intensity and gave up.',
    (s) => s.escalations,
  );

  const labelNames = options.byTaskType ? ['type'] : [];
  const buckets = LATENCY_BUCKETS_MS.map((ms) => ms / 1_000);
  const submitToStart = new Histogram({
    name: name('task_submit_to_start_seconds'),
    help: 'From submit to the first attempt starting, on the system clock.',
    labelNames,
    buckets,
    registers,
  });
  const run = new Histogram({
    name: name('task_run_seconds'),
    help: 'From an attempt starting to its end (completed, failed, retrying, cancelled).',
    labelNames,
    buckets,
    registers,
  });
  const off = system.onLatency(({ kind, ms, taskType }) => {
    const histogram = kind === 'run' ? run : submitToStart;
    if (options.byTaskType) histogram.observe({ type: taskType }, ms / 1_000);
    else histogram.observe(ms / 1_000);
  });

  return {
    registry,
    contentType: registry.contentType,
    metrics: () => registry.metrics(),
    close() {
      off();
      for (const n of names) registry.removeSingleMetric(n);
    },
  };
}
