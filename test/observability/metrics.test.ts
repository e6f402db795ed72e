import { describe, expect, it } from 'vitest';
import type { LatencyObservation } from '../../src/index.js';
import { LatencyHistogram } from '../../src/observability/latency-histogram.js';
import { advanceClock } from '../support/system-harness.js';
import { metricsScenario } from './metrics-scenario.js';

describe('system.metrics()', () => {
  it('counts queue depth by state and class while the run is under way', async () => {
    const { system } = await metricsScenario(200);
    const m = system.metrics();
    expect(m.at).toBe(200);
    expect(m.queue).toEqual({
      blocked: 0,
      ready: 1,
      assigned: 0,
      running: 1,
      retrying: 0,
      byClass: { default: 2 },
    });
    expect(m.tasks).toEqual({ submitted: 3, completed: 1, failed: 0, cancelled: 0 });
    expect(m.agents).toEqual({ busy: 1 });
  });

  it('records outcomes, attempts and both latencies of a finished run exactly', async () => {
    const { system } = await metricsScenario();
    const m = system.metrics();
    expect(m.queue.byClass).toEqual({});
    expect(m.tasks).toEqual({ submitted: 3, completed: 3, failed: 0, cancelled: 0 });
    expect(m.attempts).toEqual({ started: 4, retried: 1, perFinishedTask: { 1: 2, 2: 1 } });
    // Submit-to-start of first attempts: A 0, B 100, C 400.
    expect(m.latency.submitToStartMs).toMatchObject({ count: 3, sum: 500, min: 0, max: 400 });
    // Runs: A 100, B 300, C 50 (failed) and C 50.
    const runs = m.latency.runMs;
    expect(runs).toMatchObject({ count: 4, sum: 500, min: 50, max: 300 });
    const le = (bound: number) => runs.buckets.find((b) => b.le === bound)?.count;
    expect([le(25), le(50), le(100), le(250), le(500), le(Number.POSITIVE_INFINITY)]).toEqual([
      0, 2, 3, 3, 4, 4,
    ]);
    expect(m.restarts).toBe(0);
    expect(m.escalations).toBe(0);
  });

  it('hands each latency to onLatency listeners with the task type', async () => {
    const seen: LatencyObservation[] = [];
    const { system, clock } = await metricsScenario(0);
    system.onLatency((o) => seen.push(o));
    await advanceClock(clock, 1_000);
    expect(seen).toEqual([
      { kind: 'run', ms: 100, taskType: 'resize' },
      { kind: 'submit-to-start', ms: 100, taskType: 'train' },
      { kind: 'run', ms: 300, taskType: 'train' },
      { kind: 'submit-to-start', ms: 400, taskType: 'resize' },
      { kind: 'run', ms: 50, taskType: 'resize' },
      { kind: 'run', ms: 50, taskType: 'resize' },
    ]);
  });
});

describe('LatencyHistogram', () => {
  it('is empty before any value, and estimates quantiles within the recorded range', () => {
    const h = new LatencyHistogram();
    expect(h.snapshot()).toMatchObject({ count: 0, min: undefined, p50: undefined });
    for (let ms = 1; ms <= 100; ms++) h.record(ms);
    const s = h.snapshot();
    expect(s).toMatchObject({ count: 100, sum: 5050, min: 1, max: 100 });
    // Exact p50 is 50 and p99 is 99; bucket interpolation lands in the right bucket.
    expect(s.p50).toBeGreaterThan(25);
    expect(s.p50).toBeLessThanOrEqual(50);
    expect(s.p99).toBeGreaterThan(50);
    expect(s.p99).toBeLessThanOrEqual(100);
    expect(s.buckets.at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 100 });
  });

  it('keeps values beyond the last bound in the unbounded bucket, with the exact max', () => {
    const h = new LatencyHistogram();
    h.record(1_000_000);
    const s = h.snapshot();
    expect(s.buckets.at(-2)?.count).toBe(0);
    expect(s.buckets.at(-1)?.count).toBe(1);
    expect(s.p99).toBe(1_000_000);
  });
});
