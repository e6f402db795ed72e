// QoS control in a running system on a simulated clock: admission by predicted finish, expiry
// of queued work that cannot make its due time, overload mode, the `delay` policy, options.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import type { QosOptions } from '../../machines/qos-classes.js';
import {
  createSystem,
  type HandlerContext,
  InvalidSystemOptions,
  Overloaded,
  type TaskSpec,
} from '../../src/index.js';
import { seededRandom, settle, startSystem } from '../support/system-harness.js';

type Work = { ms: number };

/** Agents whose handler takes `ms` of simulated time; `calls` lists the tasks it ran. */
function qosSystem(qos: QosOptions, agents = 1) {
  let clock = undefined as unknown as SimulatedClock; // set once the system exists
  const calls: string[] = [];
  const handler = ({ ms }: Work, ctx: HandlerContext) =>
    new Promise((resolve) => {
      calls.push(ctx.taskId);
      clock.setTimeout(() => resolve(ms), ms); // nothing here is cancelled or timed out
    });
  const h = startSystem({
    qos,
    agents: [{ id: 'a', replicas: agents, handler }],
    retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
  });
  clock = h.clock;
  const started = () => h.of('task.started').map((e) => e.taskId);
  const modes = () => h.of('qos.mode').map((e) => [e.mode, e.at]);
  return { ...h, calls, started, modes };
}

/** A task of type `w` (unless `more` says) that runs `ms`. */
function task(id: string, ms: number, more: Partial<TaskSpec> = {}): TaskSpec {
  return { id, type: 'w', input: { ms }, ...more };
}

function web(cls: QosOptions['classes'][string]): QosOptions {
  return { classes: { web: cls }, default: 'web' };
}
/** SLO 1 s, every submission admitted unless shed; controller target 60 ms, interval 200 ms. */
const controlled = web({
  sloMs: 1_000,
  admitByPrediction: false,
  overloadControl: { targetMs: 60, intervalMs: 200 },
});

describe('calibration: at light load nothing is refused and nothing expires', () => {
  it('admits and finishes every task of a lightly loaded class, for any seeded arrival pattern', async () => {
    // 4 agents; lognormal run times (median 40 ms); arrivals every 45 ms on average: the
    // agents are busy about a quarter of the time. SLO 600 ms, 15 times the typical run.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const s = qosSystem(web({ sloMs: 600 }), 4);
        const random = seededRandom(seed);
        const refused: unknown[] = [];
        for (let i = 0; i < 250; i++) {
          await s.advance(Math.round(-45 * Math.log(1 - random())));
          const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
          const ms = Math.max(1, Math.round(40 * Math.exp(0.6 * z)));
          await s.system.submit(task(`t${i}`, ms)).catch((e) => refused.push(e));
        }
        await s.advance(5_000);
        expect(refused).toEqual([]);
        expect(s.of('qos.rejected')).toEqual([]);
        expect(s.system.metrics().qos.web).toMatchObject({
          completed: 250,
          failed: 0,
          expired: 0,
          rejected: 0,
          mode: 'normal',
        });
        expect(s.modes()).toEqual([]);
      }),
      { numRuns: 4 },
    );
  });
});

describe('admission by predicted finish', () => {
  it('refuses a task its class’s backlog would make late, explaining the prediction, storing nothing', async () => {
    const s = qosSystem(web({ sloMs: 1_000 }));
    await s.system.submit(task('warm', 100)); // learns: a `w` task runs 100 ms
    await s.advance(300);
    // 30 tasks wait on a gate, so none is queued while they are admitted one by one;
    // when the gate opens at 400, 3 s of work queues in a class with a 1 s SLO.
    await s.system.submit(task('gate', 100, { type: 'gate' }));
    for (let i = 0; i < 30; i++) await s.system.submit(task(`d${i}`, 100, { dependsOn: ['gate'] }));
    await s.advance(100);
    const stats = s.system.stats().tasks;
    const queue = s.system.metrics().queue;

    const refusal = await s.system.submit(task('late', 100)).catch((e) => e);
    expect(refusal).toBeInstanceOf(Overloaded);
    expect(refusal).toMatchObject({
      qos: 'web',
      reason: 'predicted-late',
      retryAfterMs: expect.any(Number),
    });
    // 29 queued x 100 ms on one slot, then its own 100 ms: 2 s past its due time (1.4 s).
    expect((refusal as Error).message).toMatch(
      /"web" cannot finish in time: task late would wait 2900 ms and run 100 ms, finishing 2000 ms after its due time/,
    );
    expect(() => s.system.task('late')).toThrow(/late/);
    expect(s.system.stats().tasks).toEqual(stats);
    expect(s.system.metrics().queue).toEqual(queue);
    expect(s.of('qos.rejected')).toMatchObject([
      { qos: 'web', full: 'web', reason: 'predicted-late', tasks: 1, at: 400 },
    ]);
    expect(s.system.metrics().qos.web?.rejectedByReason['predicted-late']).toBe(1);
  });
});

describe('expiry at dispatch', () => {
  it('fails a queued task that can no longer finish by its due time, without running it', async () => {
    const s = qosSystem(web({ sloMs: 1_000 }));
    await s.system.submit(task('warm', 100));
    await s.advance(100);
    // A type never seen runs 950 ms; X, queued behind it, is due at 1100 and typically runs
    // 100 ms: when the agent frees at 1050 it would finish at 1150.
    await s.system.submit(task('long', 950, { type: 'unseen' }));
    const x = await s.system.submit(task('X', 100));
    await s.advance(2_000);

    expect(s.system.task('X')).toMatchObject({ state: 'failed', finishedAt: 1_050 });
    const error = s.system.task('X').error;
    expect(error).toMatchObject({
      code: 'DeadlineExceeded',
      details: { dueAt: 1_100, predictedFinishAt: expect.closeTo(1_150, 6) },
    });
    expect(error?.message).toMatch(
      /^task X expired: it would finish about 50 ms after its due time 1100/,
    );
    await expect(x.result()).rejects.toThrow(/expired/);
    expect([...s.calls, ...s.started()]).not.toContain('X'); // never started, never run
    expect(s.system.metrics().qos.web).toMatchObject({ expired: 1, failed: 1, busyMs: 1_050 });
  });
});

describe('overload mode', () => {
  // One slot, SLO 1 s, target 60 ms, interval 200 ms. A burst at t0: 50 ms tasks A (A0
  // takes the idle slot), two of 480 ms (L), 14 of 50 ms (B, priority 1): 1.85 s of work.
  // Above target from t0+100: overloaded at t0+300, freshest first; the 1.46 s still queued
  // takes the whole SLO, so it sheds at the next sample (t0+350). At t0+550 a sweep takes
  // the L (they can no longer finish by t0+1000); at t0+600 the 300 ms left is short of the
  // SLO (overloaded, admitting again); at t0+850 it waits no longer than target: normal.
  it('serves freshest first, sheds while the backlog alone takes the SLO, sweeps out what cannot make it, and returns to normal when drained', async () => {
    const s = qosSystem(controlled);
    await s.system.submitMany([task('w0', 50), task('l0', 480, { type: 'long' })]);
    await s.advance(600);
    const t0 = 600;
    const ls = ['L0', 'L1'];
    const bs = Array.from({ length: 14 }, (_, i) => `B${i}`);
    await s.system.submitMany([
      ...['A0', 'A1', 'A2'].map((id) => task(id, 50)),
      ...ls.map((id) => task(id, 480, { type: 'long' })),
      ...bs.map((id) => task(id, 50, { priority: 1 })),
    ]);
    await s.advance(310);
    expect(s.modes()).toEqual([['overloaded', t0 + 300]]);
    await s.system.submit(task('fresh', 50)); // overloaded, not shedding: admitted
    await s.advance(90); // to t0 + 400
    expect(s.modes().slice(1)).toEqual([['shedding', t0 + 350]]);
    const shed = await s.system.submit(task('refused', 50)).catch((e) => e);
    expect(shed).toMatchObject({ reason: 'shedding', qos: 'web' });
    await s.advance(210); // to t0 + 610: overloaded again, admitting new work
    expect(s.modes().slice(2)).toEqual([['overloaded', t0 + 600]]);
    await expect(s.system.submit(task('late', 50))).resolves.toMatchObject({ id: 'late' });
    await s.advance(1_000);

    expect(s.modes().slice(3)).toEqual([['normal', t0 + 850]]);
    // Normal: A0 on the idle slot, B0-B5 by priority; then freshest first: `fresh`, the B
    // (`late` among them, joining as B9 ran) and A; the older L were swept before their turn.
    const rest = [...bs.slice(9).reverse(), 'late', 'B8', 'B7', 'B6'];
    expect(s.started().slice(2)).toEqual(['A0', ...bs.slice(0, 6), 'fresh', ...rest, 'A2', 'A1']);
    // Swept while fresher work was still queued ahead of them, well before their due time.
    for (const id of ls)
      expect(s.system.task(id)).toMatchObject({
        state: 'failed',
        finishedAt: t0 + 550,
        error: {
          code: 'DeadlineExceeded',
          details: { dueAt: t0 + 1_000, predictedFinishAt: expect.closeTo(t0 + 1_030, 6) },
        },
      });
    expect(s.calls.filter((id) => ls.includes(id))).toEqual([]);
    // With the two warm-up tasks; `refused` was not stored.
    expect(s.system.metrics().qos.web).toMatchObject({ completed: 21, onTime: 21, expired: 2 });
  });

  // One slot, SLO 1 s, 15 tasks of 200 ms at T: overloaded at T+400, shedding at T+600, and
  // hopeless until T+1000, when all still queued would finish at T+1200, past due: a sweep
  // takes the whole queue. The scheduler reports it emptied, and the class is normal at once.
  it('returns to normal when a sweep empties a shedding class’s queue', async () => {
    const s = qosSystem(controlled);
    await s.system.submit(task('warm', 200));
    await s.advance(300);
    const T = 300;
    await s.system.submitMany(Array.from({ length: 15 }, (_, i) => task(`b${i}`, 200)));
    await s.advance(1_000);
    expect(s.modes()).toEqual([
      ['overloaded', T + 400],
      ['shedding', T + 600],
      ['normal', T + 1_000],
    ]);
    expect(s.of('qos.mode').at(-1)).toMatchObject({ delayMs: 0 }); // emptied, not sampled
    expect(s.system.metrics().queue.byClass).toEqual({}); // nothing of the class is queued
    // Five ran; at T+1000 nine were swept and the one taken then expired at dispatch.
    expect(s.of('task.failed').map((e) => e.at)).toEqual(Array(10).fill(T + 1_000));
    await expect(s.system.submit(task('later', 50))).resolves.toMatchObject({ id: 'later' });
    expect(s.system.metrics().qos.web).toMatchObject({ completed: 6, expired: 10, mode: 'normal' });
  });
});

describe('the delay overload policy', () => {
  const delayed = web({ sloMs: 5_000, queueCap: 2, overload: 'delay', maxDelayMs: 500 });

  it('holds a submission to a full class until one of its tasks finishes, then admits it', async () => {
    const s = qosSystem(delayed);
    await s.system.submitMany([task('a', 100), task('b', 100)]);
    let admittedAt: number | undefined;
    const waiting = s.system.submit(task('c', 100)).then((handle) => {
      admittedAt = s.clock.now();
      return handle;
    });
    await s.advance(99);
    expect(admittedAt).toBeUndefined();
    expect(() => s.system.task('c')).toThrow(/c/); // nothing stored while it waits
    await s.advance(1);
    await expect(waiting).resolves.toMatchObject({ id: 'c' });
    expect(admittedAt).toBe(100);
    await s.advance(300);
    expect(s.system.task('c')).toMatchObject({ state: 'completed', qos: 'web' });
    expect(s.of('qos.rejected')).toEqual([]);
  });

  it('refuses with Overloaded when no room appears within maxDelayMs, publishing qos.rejected', async () => {
    const s = qosSystem(delayed);
    await s.system.submitMany([task('a', 2_000), task('b', 2_000)]);
    let outcome: unknown;
    void s.system.submit(task('c', 100)).then(
      (handle) => (outcome = handle),
      (error) => (outcome = error),
    );
    await s.advance(499);
    await settle();
    expect(outcome).toBeUndefined();
    await s.advance(1);
    expect(outcome).toBeInstanceOf(Overloaded);
    expect(outcome).toMatchObject({ qos: 'web', reason: 'queue-cap', queueCap: 2 });
    expect(s.of('qos.rejected')).toEqual([
      expect.objectContaining({ qos: 'web', reason: 'queue-cap', tasks: 1, at: 500 }),
    ]);
    expect(() => s.system.task('c')).toThrow(/c/);
    expect(s.system.stats().tasks).toMatchObject({ queued: 1, running: 1, assigned: 0 });
    expect(s.system.metrics().queue.byClass).toEqual({ web: 2 });
  });
});

describe('QoS control options are validated', () => {
  const options = (fields: object) => ({
    agents: [{ id: 'a', handler: () => 1 }],
    qos: web({ sloMs: 1_000, ...fields } as never),
  });
  const at = 'qos.classes.web';

  it.each([
    [{ maxDelayMs: 0 }, `${at}.maxDelayMs`],
    [{ maxDelayMs: -5 }, `${at}.maxDelayMs`],
    [{ maxDelayMs: '500' }, `${at}.maxDelayMs`],
    [{ admitByPrediction: 'yes' }, `${at}.admitByPrediction`],
    [{ overloadControl: true }, `${at}.overloadControl`],
    [{ overloadControl: 'off' }, `${at}.overloadControl`],
    [{ overloadControl: { targetMs: 0 } }, `${at}.overloadControl.targetMs`],
    [{ overloadControl: { intervalMs: Number.NaN } }, `${at}.overloadControl.intervalMs`],
    [{ overloadControl: { target: 10 } }, `${at}.overloadControl.target`],
  ])('refuses %j with InvalidSystemOptions naming %s', (fields, field) => {
    const refused = expect(() => createSystem(options(fields)));
    refused.toThrow(InvalidSystemOptions);
    refused.toThrow(expect.objectContaining({ field, message: expect.stringContaining(field) }));
  });

  it('accepts every documented form', () => {
    for (const fields of [
      { maxDelayMs: 250, overload: 'delay', admitByPrediction: false },
      { overloadControl: false },
      { overloadControl: { targetMs: 10 } },
      { overloadControl: { targetMs: 10, intervalMs: 100 } },
    ])
      expect(() => createSystem(options(fields))).not.toThrow();
  });
});
