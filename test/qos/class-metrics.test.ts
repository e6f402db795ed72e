import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { type HandlerContext, Overloaded, type SystemOptions } from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

type Work = { ms: number; fail?: boolean };

/** Agent `a`: its handler takes `ms` of simulated time, then resolves or fails; it stops when aborted. */
function classSystem(options: Pick<SystemOptions, 'qos'>, concurrency = 1) {
  let clock = undefined as unknown as SimulatedClock; // set once the system exists
  const handler = ({ ms, fail }: Work, ctx: HandlerContext) =>
    new Promise((resolve, reject) => {
      const timer = clock.setTimeout(() => (fail ? reject(new Error('broken')) : resolve(ms)), ms);
      ctx.signal.addEventListener('abort', () => {
        clock.clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
  const h = startSystem({
    ...options,
    agents: [{ id: 'a', concurrency, handler }],
    retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
  });
  clock = h.clock;
  return h;
}

const classes = {
  classes: { interactive: { sloMs: 100 }, batch: { sloMs: 10_000 } },
  default: 'batch',
};

describe('per-class outcomes in system.metrics()', () => {
  it('counts each class’s tasks by outcome and its SLO attainment', async () => {
    const h = classSystem({ qos: classes }, 4);
    await h.system.submitMany([
      { type: 'w', qos: 'interactive', input: { ms: 50 } }, // on time
      { type: 'w', qos: 'interactive', input: { ms: 150 } }, // late
      { type: 'w', qos: 'interactive', input: { ms: 0, fail: true } }, // failed
      { type: 'w', input: { ms: 10 } }, // batch, on time
    ]);
    await h.advance(200);
    const { qos } = h.system.metrics();
    expect(qos.interactive).toMatchObject({
      sloMs: 100,
      completed: 2,
      onTime: 1,
      late: 1,
      failed: 1,
      expired: 0,
      cancelled: 0,
      rejected: 0,
      attainment: 1 / 3,
      attainmentOfSubmitted: 1 / 3,
      mode: 'normal',
    });
    expect(qos.batch).toMatchObject({ completed: 1, onTime: 1, attainment: 1 });
  });

  it('is empty for a system without classes', () => {
    const { system } = startSystem({ agents: [{ id: 'a', handler: () => 1 }] });
    expect(system.metrics().qos).toEqual({});
  });
});

describe('per-class time in system.metrics()', () => {
  // Two slots, all in `interactive` (SLO 100 ms). A and B start at t=0, then C, D and E
  // are submitted and queue, D first (due at its deadline, 60). D and E are of types that
  // never ran, so no prediction from run times keeps them from starting:
  //   A 50 ms: runs 0-50, on time.  B 150 ms: runs 0-150, late (waste 150).
  //   C: cancelled at 10 while queued (no run).
  //   D: starts at 50, cut at its deadline 60 with DeadlineExceeded (expired, waste 10).
  //   E: starts at 60, fails at 90 (waste 30).
  async function twoSlots() {
    const h = classSystem({ qos: classes }, 2);
    await h.system.submitMany([
      { id: 'A', type: 'w', qos: 'interactive', input: { ms: 50 } },
      { id: 'B', type: 'w', qos: 'interactive', input: { ms: 150 } },
    ]);
    await h.advance(0);
    const [c] = await h.system.submitMany([
      { id: 'C', type: 'w', qos: 'interactive', input: { ms: 50 } },
      { id: 'D', type: 'slow', qos: 'interactive', input: { ms: 50 }, deadline: 60 },
      { id: 'E', type: 'flaky', qos: 'interactive', input: { ms: 30, fail: true } },
    ]);
    await h.advance(10);
    c?.cancel();
    await h.advance(990);
    return h;
  }

  it('counts expired, busy and wasted run time, queueing delay and goodput', async () => {
    const { system } = await twoSlots();
    const m = system.metrics();
    expect(m.at).toBe(1_000);
    expect(m.qos.interactive).toMatchObject({
      completed: 2,
      onTime: 1,
      late: 1,
      failed: 2,
      expired: 1,
      cancelled: 1,
      rejected: 0,
      attainment: 1 / 5,
      attainmentOfSubmitted: 1 / 5,
      // One task on time in the system's first second.
      goodput: 1,
      busyMs: 50 + 150 + 10 + 30,
      wastedMs: 150 + 10 + 30,
    });
    // A and B waited 0 ms, D 50, E 60; C never started.
    expect(m.qos.interactive?.queueDelay).toMatchObject({
      count: 4,
      sum: 110,
      min: 0,
      max: 60,
      p99: 60,
    });
    expect(m.qos.batch).toMatchObject({ busyMs: 0, wastedMs: 0, goodput: 0 });
    expect(m.qos.batch?.queueDelay).toMatchObject({ count: 0, p50: undefined });
  });

  it('wastes the run time of a task cancelled while it runs', async () => {
    const { system, advance } = classSystem({ qos: classes });
    const handle = await system.submit({ type: 'w', input: { ms: 1_000 } });
    await advance(300);
    handle.cancel();
    await advance(1_000);
    expect(system.metrics().qos.batch).toMatchObject({
      cancelled: 1,
      busyMs: 300,
      wastedMs: 300,
      goodput: 0,
    });
  });

  it('reports each agent’s limit: its declared concurrency and a closed breaker', () => {
    const { system } = classSystem({ qos: classes }, 3);
    expect(system.metrics().agentLimits).toEqual({ a: { limit: 3, breaker: 'closed' } });
  });
});

describe('per-class refusals in system.metrics()', () => {
  // Needs admission to publish `qos.rejected` (src/core/system-events.ts) when it refuses.
  it('counts a submission refused at the queue cap, as a miss of attainmentOfSubmitted', async () => {
    const h = classSystem({
      qos: { classes: { interactive: { sloMs: 100, queueCap: 1 } }, default: 'interactive' },
    });
    await h.system.submit({ type: 'w', input: { ms: 50 } });
    const refused = await h.system
      .submitMany([
        { type: 'w', input: { ms: 50 } },
        { type: 'w', input: { ms: 50 } },
      ])
      .catch((e) => e);
    expect(refused).toBeInstanceOf(Overloaded);
    await h.advance(100);
    expect(h.system.metrics().qos.interactive).toMatchObject({
      completed: 1,
      onTime: 1,
      rejected: 2,
      rejectedByReason: { 'queue-cap': 2, 'predicted-late': 0, shedding: 0 },
      attainment: 1,
      attainmentOfSubmitted: 1 / 3,
    });
  });
});

describe('per-class mode in system.metrics()', () => {
  it('follows what the class’s controller last published', async () => {
    const tight = { targetMs: 10, intervalMs: 33 };
    const h = classSystem({
      qos: {
        ...classes,
        classes: { ...classes.classes, interactive: { sloMs: 100, overloadControl: tight } },
      },
    });
    await h.system.submitMany(
      Array.from({ length: 12 }, () => ({ type: 'w', qos: 'interactive', input: { ms: 40 } })),
    );
    const modes: string[] = [];
    for (let t = 0; t < 600; t += 20) {
      await h.advance(20);
      modes.push(h.system.metrics().qos.interactive?.mode ?? '');
      const last = h
        .of('qos.mode')
        .filter((e) => e.qos === 'interactive')
        .at(-1);
      expect(modes.at(-1)).toBe(last?.mode ?? 'normal');
    }
    // Work queued for ten times the class's target delay overloads it (and the sweep that
    // expires what can no longer make it empties the queue: normal again at once).
    const published = h.of('qos.mode').filter((e) => e.qos === 'interactive');
    expect(published.map((e) => e.mode)).toEqual(['overloaded', 'normal']);
    expect(h.system.metrics().qos.batch?.mode).toBe('normal');
  });
});
