import { describe, expect, it } from 'vitest';
import { AgentCrash, type HandlerContext, type LatencyObservation } from '../../src/index.js';
import { LatencyHistogram } from '../../src/observability/latency-histogram.js';
import { advanceClock, settle, startSystem } from '../support/system-harness.js';
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

  it('counts queue depth by QoS class from the first moment', async () => {
    const { system } = await metricsScenario(0);
    expect(system.metrics().queue).toEqual({
      blocked: 0,
      ready: 2,
      assigned: 0,
      running: 1,
      retrying: 0,
      byClass: { batch: 1, default: 2 },
    });
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
    // Quantiles interpolate inside their bucket and are clamped to the exact max.
    expect(runs).toMatchObject({ p50: 50, p90: 300, p99: 300 });
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

describe('system.metrics() when tasks end early', () => {
  // One agent with three slots. X and V fail at 50 ms and back off for 100 ms: X is
  // cancelled at 100 while backing off, V's deadline (120) passes while backing off. Z
  // waits on X and fails with it. Y runs until it is cancelled at 300.
  async function endedEarly() {
    const harness = startSystem({
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 100 } },
      agents: [{ id: 'w', concurrency: 3, handler: cancellable }],
    });
    const { system, clock } = harness;
    function cancellable(input: { ms: number; fail?: boolean }, ctx: HandlerContext) {
      return new Promise((resolve, reject) => {
        const timer = clock.setTimeout(
          () => (input.fail ? reject(new Error('flaky')) : resolve('ok')),
          input.ms,
        );
        ctx.signal.addEventListener('abort', () => {
          clock.clearTimeout(timer);
          reject(ctx.signal.reason);
        });
      });
    }
    await system.submitMany([
      { id: 'X', type: 'fetch', input: { ms: 50, fail: true } },
      { id: 'V', type: 'fetch', input: { ms: 50, fail: true }, deadline: 120 },
      { id: 'Y', type: 'train', input: { ms: 1_000 } },
      { id: 'Z', type: 'fetch', input: { ms: 10 }, dependsOn: ['X'] },
    ]);
    await advanceClock(clock, 100);
    system.cancel('X');
    await advanceClock(clock, 200);
    system.cancel('Y');
    await advanceClock(clock, 700);
    return harness;
  }

  it('ends each run once: a cancel or deadline while backing off ends no second run', async () => {
    const { system } = await endedEarly();
    const m = system.metrics();
    expect(m.tasks).toEqual({ submitted: 4, completed: 0, failed: 2, cancelled: 2 });
    // Z never started: it counts under 0 attempts.
    expect(m.attempts).toEqual({ started: 3, retried: 2, perFinishedTask: { 0: 1, 1: 3 } });
    // Runs: X 0-50 and V 0-50 (each ended by its retry), Y 0-300 (ended by its cancel).
    expect(m.latency.runMs).toMatchObject({ count: 3, sum: 400, min: 50, max: 300 });
    expect(m.latency.submitToStartMs).toMatchObject({ count: 3, sum: 0, max: 0 });
    expect(m.queue).toEqual({
      blocked: 0,
      ready: 0,
      assigned: 0,
      running: 0,
      retrying: 0,
      byClass: {},
    });
  });
});

describe('system.metrics() under supervision', () => {
  it('counts agent restarts and supervisor escalations, and agents by state', async () => {
    const { system, advance } = startSystem({
      restartBackoff: { kind: 'fixed', delayMs: 10 },
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      agents: [
        {
          supervisor: 'pool',
          intensity: { maxRestarts: 0, periodMs: 60_000 },
          children: [
            {
              id: 'w',
              handler: async () => {
                throw new AgentCrash('segfault');
              },
            },
          ],
        },
      ],
    });
    expect(system.metrics()).toMatchObject({ agents: { idle: 1 }, restarts: 0, escalations: 0 });
    await system.submit({ type: 'x' });
    await settle();
    const m = system.metrics();
    expect(m.escalations).toBe(1);
    expect(m.restarts).toBe(1);
    expect(m.tasks.failed).toBe(1);
    // The restarted agent registers after its restart backoff.
    expect(m.agents).toEqual({ starting: 1 });
    await advance(10);
    expect(system.metrics().agents).toEqual({ idle: 1 });
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
