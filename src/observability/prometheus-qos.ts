// The per-class QoS figures and the agents' adaptive limits as Prometheus metrics, read
// from `system.metrics()` at scrape time. A system without classes reports no `qos`
// series; every agent the system knows has a limit and a breaker series.
import type { AgentLimit } from './agent-limits.js';
import type { ClassOutcome } from './class-outcomes.js';
import type { MetricsSnapshot } from './metrics.js';
import type { PrometheusMetricSet, Rows } from './prometheus-metric-set.js';

/** This file's metric names after the prefix, for the exporter's clash check. */
export const QOS_NAMES = [
  'qos_tasks_total',
  'qos_rejected_total',
  'qos_slo_seconds',
  'qos_attainment_ratio',
  'qos_attainment_of_submitted_ratio',
  'qos_goodput',
  'qos_busy_seconds_total',
  'qos_wasted_seconds_total',
  'qos_queue_delay_seconds',
  'qos_mode',
  'agent_limit',
  'agent_breaker_open',
] as const;

const MODES = ['normal', 'overloaded', 'shedding'] as const;
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.99', 'p99'],
] as const;

/** One series per class, labelled `qos`, valued by `read`. */
const perClass =
  (read: (c: ClassOutcome) => number) =>
  (s: MetricsSnapshot): Rows =>
    Object.entries(s.qos).map(([qos, c]) => [{ qos }, read(c)] as const);

/** Tasks of each class by how they ended or were refused: disjoint, so they sum. */
function* byOutcome(s: MetricsSnapshot): Rows {
  for (const [qos, c] of Object.entries(s.qos)) {
    yield [{ qos, outcome: 'completed_on_time' }, c.onTime];
    yield [{ qos, outcome: 'late' }, c.late];
    yield [{ qos, outcome: 'failed' }, c.failed - c.expired];
    yield [{ qos, outcome: 'expired' }, c.expired];
    yield [{ qos, outcome: 'cancelled' }, c.cancelled];
    yield [{ qos, outcome: 'rejected' }, c.rejected];
  }
}

function* byReason(s: MetricsSnapshot): Rows {
  for (const [qos, c] of Object.entries(s.qos))
    for (const [reason, n] of Object.entries(c.rejectedByReason)) yield [{ qos, reason }, n];
}

/** Quantiles of each class's queueing delay, once it has any. */
function* queueDelay(s: MetricsSnapshot): Rows {
  for (const [qos, c] of Object.entries(s.qos))
    for (const [quantile, key] of QUANTILES) {
      const ms = c.queueDelay[key];
      if (ms !== undefined) yield [{ qos, quantile }, ms / 1_000];
    }
}

function* modes(s: MetricsSnapshot): Rows {
  for (const [qos, c] of Object.entries(s.qos))
    for (const mode of MODES) yield [{ qos, mode }, c.mode === mode ? 1 : 0];
}

const perAgent =
  (read: (limit: AgentLimit) => number) =>
  (s: MetricsSnapshot): Rows =>
    Object.entries(s.agentLimits).map(([agent, l]) => [{ agent }, read(l)] as const);

/** Registers the per-class and per-agent metrics, read from the snapshot at scrape time. */
export function registerQosMetrics(set: PrometheusMetricSet): void {
  set.counterRows(
    'qos_tasks_total',
    'Tasks of a QoS class by outcome: completed_on_time, late, failed (other than expired), expired (DeadlineExceeded), cancelled, rejected at admission.',
    ['qos', 'outcome'],
    byOutcome,
  );
  set.counterRows(
    'qos_rejected_total',
    'Tasks refused at admission by the class they asked for and the reason.',
    ['qos', 'reason'],
    byReason,
  );
  set.gaugeRows(
    'qos_slo_seconds',
    'The latency objective of a QoS class, submit to finish.',
    ['qos'],
    perClass((c) => c.sloMs / 1_000),
  );
  set.gaugeRows(
    'qos_attainment_ratio',
    'Tasks completed within the SLO over finished tasks of the class.',
    ['qos'],
    perClass((c) => c.attainment),
  );
  set.gaugeRows(
    'qos_attainment_of_submitted_ratio',
    'Tasks completed within the SLO over finished and rejected tasks of the class.',
    ['qos'],
    perClass((c) => c.attainmentOfSubmitted),
  );
  set.gaugeRows(
    'qos_goodput',
    'Tasks completed within the SLO per second of the system clock since the system was created.',
    ['qos'],
    perClass((c) => c.goodput),
  );
  registerTimeMetrics(set);
  registerAgentMetrics(set);
}

function registerAgentMetrics(set: PrometheusMetricSet): void {
  set.gaugeRows(
    'agent_limit',
    'Slots an agent may hold now (its adaptive limit; 0 while its breaker is open).',
    ['agent'],
    perAgent((l) => l.limit),
  );
  set.gaugeRows(
    'agent_breaker_open',
    'Whether an agent’s circuit breaker is open (1) or not (0: closed or half-open).',
    ['agent'],
    perAgent((l) => (l.breaker === 'open' ? 1 : 0)),
  );
}

function registerTimeMetrics(set: PrometheusMetricSet): void {
  set.counterRows(
    'qos_busy_seconds_total',
    'Run time of the ended attempts of a class’s tasks, on the system clock.',
    ['qos'],
    perClass((c) => c.busyMs / 1_000),
  );
  set.counterRows(
    'qos_wasted_seconds_total',
    'Run time spent on tasks of the class that then missed their SLO (late, failed, cancelled).',
    ['qos'],
    perClass((c) => c.wastedMs / 1_000),
  );
  set.gaugeRows(
    'qos_queue_delay_seconds',
    'From a task becoming ready to its attempt starting, by quantile (estimated in the histogram’s buckets).',
    ['qos', 'quantile'],
    queueDelay,
  );
  set.gaugeRows(
    'qos_mode',
    'The mode of a class’s controller: 1 for the mode it is in, 0 for the others.',
    ['qos', 'mode'],
    modes,
  );
}
