import { prometheusMetrics } from 'overseer/prometheus';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import type { ClassOutcome, MetricsSnapshot, OverseerSystem } from '../../src/index.js';
import { LatencyHistogram } from '../../src/observability/latency-histogram.js';
import { startSystem } from '../support/system-harness.js';
import { metricsScenario } from './metrics-scenario.js';

const wait = (clock: SimulatedClock, ms: number) =>
  new Promise((resolve) => clock.setTimeout(() => resolve(ms), ms));

/** An interactive class as metrics() would report it after a small run. */
function interactive(): ClassOutcome {
  const queueDelay = new LatencyHistogram();
  for (const ms of [0, 50, 200]) queueDelay.record(ms);
  return {
    sloMs: 100,
    completed: 2,
    onTime: 1,
    late: 1,
    failed: 2,
    expired: 1,
    cancelled: 1,
    rejected: 3,
    rejectedByReason: { 'queue-cap': 2, 'predicted-late': 0, shedding: 1 },
    attainment: 0.2,
    attainmentOfSubmitted: 0.125,
    goodput: 0.5,
    busyMs: 230,
    wastedMs: 180,
    queueDelay: queueDelay.snapshot(),
    mode: 'overloaded',
  };
}

/** A stand-in system whose metrics() carries the QoS and agent-limit sections. */
async function scrape(labels: Record<string, string> = {}) {
  const { system } = await metricsScenario(0);
  const snapshot: MetricsSnapshot = {
    ...system.metrics(),
    qos: { interactive: interactive() },
    agentLimits: { w: { limit: 3, breaker: 'closed' }, x: { limit: 0, breaker: 'open' } },
  };
  const stub = {
    metrics: () => snapshot,
    onLatency: () => () => true,
  } as unknown as OverseerSystem;
  return prometheusMetrics(stub, { labels }).metrics();
}

describe('overseer/prometheus: QoS classes and agent limits', () => {
  it('counts each class’s tasks by disjoint outcome, and refusals by reason', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE overseer_qos_tasks_total counter');
    for (const [outcome, n] of [
      ['completed_on_time', 1],
      ['late', 1],
      ['failed', 1], // failed other than expired
      ['expired', 1],
      ['cancelled', 1],
      ['rejected', 3],
    ] as const)
      expect(text).toContain(
        `overseer_qos_tasks_total{qos="interactive",outcome="${outcome}"} ${n}`,
      );
    expect(text).toContain('overseer_qos_rejected_total{qos="interactive",reason="queue-cap"} 2');
    expect(text).toContain('overseer_qos_rejected_total{qos="interactive",reason="shedding"} 1');
    expect(text).toContain(
      'overseer_qos_rejected_total{qos="interactive",reason="predicted-late"} 0',
    );
  });

  it('reports SLO, attainment, goodput, busy and wasted seconds, queueing delay and mode', async () => {
    const text = await scrape();
    expect(text).toContain('overseer_qos_slo_seconds{qos="interactive"} 0.1');
    expect(text).toContain('overseer_qos_attainment_ratio{qos="interactive"} 0.2');
    expect(text).toContain('overseer_qos_attainment_of_submitted_ratio{qos="interactive"} 0.125');
    expect(text).toContain('overseer_qos_goodput{qos="interactive"} 0.5');
    expect(text).toContain('# TYPE overseer_qos_busy_seconds_total counter');
    expect(text).toContain('overseer_qos_busy_seconds_total{qos="interactive"} 0.23');
    expect(text).toContain('overseer_qos_wasted_seconds_total{qos="interactive"} 0.18');
    expect(text).toContain(
      'overseer_qos_queue_delay_seconds{qos="interactive",quantile="0.5"} 0.0375',
    );
    expect(text).toContain(
      'overseer_qos_queue_delay_seconds{qos="interactive",quantile="0.99"} 0.2',
    );
    expect(text).toContain('overseer_qos_mode{qos="interactive",mode="normal"} 0');
    expect(text).toContain('overseer_qos_mode{qos="interactive",mode="overloaded"} 1');
    expect(text).toContain('overseer_qos_mode{qos="interactive",mode="shedding"} 0');
  });

  it('reports each agent’s limit and whether its breaker is open', async () => {
    const text = await scrape({ system: 'thumbs' });
    expect(text).toContain('overseer_agent_limit{system="thumbs",agent="w"} 3');
    expect(text).toContain('overseer_agent_limit{system="thumbs",agent="x"} 0');
    expect(text).toContain('overseer_agent_breaker_open{system="thumbs",agent="w"} 0');
    expect(text).toContain('overseer_agent_breaker_open{system="thumbs",agent="x"} 1');
    expect(text).toContain(
      'overseer_qos_tasks_total{system="thumbs",qos="interactive",outcome="late"} 1',
    );
  });

  it('reports no class series without classes, and the real system’s agent limits', async () => {
    const registry = new Registry();
    await metricsScenario(1_000, (system) => prometheusMetrics(system, { registry }));
    const text = await registry.metrics();
    expect(text).not.toMatch(/^overseer_qos_/m);
    expect(text).toContain('overseer_agent_limit{agent="w"} 1');
    expect(text).toContain('overseer_agent_breaker_open{agent="w"} 0');
  });

  it('reads the figures of a real system with classes at scrape time', async () => {
    const h = startSystem({
      qos: { classes: { interactive: { sloMs: 100 } }, default: 'interactive' },
      agents: [{ id: 'w', concurrency: 2, handler: (ms: number) => wait(h.clock, ms) }],
    });
    const exporter = prometheusMetrics(h.system);
    await h.system.submitMany([
      { type: 'w', input: 50 },
      { type: 'w', input: 150 },
    ]);
    await h.advance(1_000);
    const text = await exporter.metrics();
    const series = '{qos="interactive"';
    expect(text).toContain(`overseer_qos_tasks_total${series},outcome="completed_on_time"} 1`);
    expect(text).toContain(`overseer_qos_tasks_total${series},outcome="late"} 1`);
    expect(text).toContain(`overseer_qos_busy_seconds_total${series}} 0.2`);
    expect(text).toContain(`overseer_qos_wasted_seconds_total${series}} 0.15`);
    expect(text).toContain(`overseer_qos_goodput${series}} 1`);
    expect(text).toContain(`overseer_qos_queue_delay_seconds${series},quantile="0.99"} 0`);
    expect(text).toContain(`overseer_qos_mode${series},mode="normal"} 1`);
    expect(text).toContain('overseer_agent_limit{agent="w"} 2');
  });

  it.each(['reason', 'mode', 'quantile', 'agent'])(
    'refuses a fixed label named %s, which its own metrics use',
    async (label) => {
      const { system } = await metricsScenario(0);
      expect(() => prometheusMetrics(system, { labels: { [label]: 'x' } })).toThrow(
        new RegExp(`labels.${label}|taken by the exporter`),
      );
    },
  );
});
