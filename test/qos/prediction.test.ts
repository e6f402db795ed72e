import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClassBacklog,
  keepsDue,
  predictedFinish,
  predictedWaitMs,
} from '../../machines/finish-prediction.js';
import { seededRandom } from '../../machines/seeded-random.js';
import {
  expectedMs,
  NO_ESTIMATE,
  observed,
  preferred,
  type ServiceEstimate,
  TRUSTED_SAMPLES,
  typicalMs,
} from '../../machines/service-estimate.js';
import { ServiceTimes } from '../../src/qos/service-times.js';

const backlogs = (entries: Record<string, [weight: number, workMs: number]>) =>
  new Map<string, ClassBacklog>(
    Object.entries(entries).map(([name, [weight, workMs]]) => [name, { weight, workMs }]),
  );

describe('predicted wait in a class’s queue (generalized processor sharing)', () => {
  it('is the class’s queued work over the slots when it is alone', () => {
    expect(predictedWaitMs(backlogs({ web: [1, 1_000] }), 'web', 4)).toBe(250);
    expect(predictedWaitMs(backlogs({ web: [5, 1_000] }), 'web', 1)).toBe(1_000);
  });

  it('is 0 with nothing queued in the class, no slots, or a class it does not know', () => {
    const b = backlogs({ web: [1, 0], batch: [1, 10_000] });
    expect(predictedWaitMs(b, 'web', 4)).toBe(0);
    expect(predictedWaitMs(backlogs({ web: [1, 500] }), 'web', 0)).toBe(0);
    expect(predictedWaitMs(b, 'nope', 4)).toBe(0);
  });

  it('lets a small backlog borrow: it waits for its own work and an equal share, not the big one', () => {
    const b = backlogs({ small: [1, 100], big: [1, 10_000] });
    // While `small` drains its 100 ms, `big` is served 100 ms alongside.
    expect(predictedWaitMs(b, 'small', 2)).toBe(100);
    // `big` waits for its own work and all of `small`'s (small runs out first).
    expect(predictedWaitMs(b, 'big', 2)).toBe(5_050);
  });

  it('shares by weight: a class of weight 3 next to one of weight 1 is served 3 to 1', () => {
    const b = backlogs({ web: [3, 300], batch: [1, 10_000] });
    expect(predictedWaitMs(b, 'web', 1)).toBe(300 + 100);
    expect(predictedWaitMs(b, 'batch', 1)).toBe(10_000 + 300);
    // Three classes: each other class adds the smaller of its work and its weighted share.
    const three = backlogs({ web: [2, 200], std: [1, 50], batch: [1, 10_000] });
    expect(predictedWaitMs(three, 'web', 2)).toBe((200 + 50 + 100) / 2);
  });

  it('finishes a task its typical run after the wait, and keeps a due time it reaches', () => {
    const finish = predictedFinish(1_000, 250, 80);
    expect(finish).toBe(1_330);
    expect(keepsDue(finish, 1_330)).toBe(true);
    expect(keepsDue(finish, 1_329)).toBe(false);
    expect(keepsDue(finish, undefined)).toBe(true);
  });

  it('lies between the own work and all the work, over the slots, and grows with others’ work', () => {
    const cls = fc.record({
      weight: fc.integer({ min: 1, max: 10 }),
      workMs: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(cls, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 64 }),
        (classes, slots) => {
          const b = new Map(classes.map((c, i) => [`c${i}`, c]));
          const own = classes[0] as ClassBacklog;
          const total = classes.reduce((sum, c) => sum + c.workMs, 0);
          const wait = predictedWaitMs(b, 'c0', slots);
          if (own.workMs === 0) return expect(wait).toBe(0);
          expect(wait).toBeGreaterThanOrEqual(own.workMs / slots - 1e-9);
          expect(wait).toBeLessThanOrEqual(total / slots + 1e-9);
          for (const [name, other] of b) {
            if (name === 'c0') continue;
            const more = new Map(b).set(name, { ...other, workMs: other.workMs + 1_000 });
            expect(predictedWaitMs(more, 'c0', slots)).toBeGreaterThanOrEqual(wait);
          }
        },
      ),
    );
  });
});

/** A lognormal sample with median `medianMs` and log-spread `sigma` (Box-Muller, seeded). */
function lognormal(random: () => number, medianMs: number, sigma: number): number {
  const u1 = 1 - random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
  return medianMs * Math.exp(sigma * z);
}

const runAll = (samples: readonly number[], alpha?: number): ServiceEstimate =>
  samples.reduce((e, ms) => observed(e, ms, alpha), NO_ESTIMATE);

describe('service estimate: mean, expected and typical run time', () => {
  it('has no typical or expected time before a sample, and averages a cold start evenly', () => {
    expect(typicalMs(NO_ESTIMATE)).toBe(0);
    expect(expectedMs(NO_ESTIMATE)).toBe(0);
    const e = runAll([100, 200, 600]);
    expect(e.samples).toBe(3);
    expect(e.meanMs).toBeCloseTo(300, 9);
    // The typical time is the geometric mean of (1 + ms), less 1.
    expect(typicalMs(e)).toBeCloseTo(Math.cbrt(101 * 201 * 601) - 1, 9);
    // The log-variance is the variance of the ln(1 + ms), and the expected time the mean of
    // a lognormal with that log-mean and log-variance, less 1.
    const logs = [101, 201, 601].map(Math.log);
    const logMean = logs.reduce((sum, l) => sum + l, 0) / 3;
    const logVariance = logs.reduce((sum, l) => sum + (l - logMean) ** 2, 0) / 3;
    expect(e.logVariance).toBeCloseTo(logVariance, 9);
    expect(expectedMs(e)).toBeCloseTo(Math.exp(logMean + logVariance / 2) - 1, 9);
  });

  it('has no spread, and expects its one run time, while every run takes the same', () => {
    const e = runAll(Array(30).fill(100));
    expect(e.logVariance).toBeCloseTo(0, 12);
    expect(expectedMs(e)).toBeCloseTo(100, 9);
  });

  it('weighs the first 1/alpha samples evenly, then moves by alpha', () => {
    const twenty = runAll(Array(20).fill(100));
    expect(twenty.meanMs).toBeCloseTo(100, 9);
    const after = observed(twenty, 1_100);
    expect(after.meanMs).toBeCloseTo(100 + 0.05 * 1_000, 9);
    // A first sample is not the estimate for long: the second counts as much.
    expect(runAll([1_000, 0]).meanMs).toBe(500);
  });

  it('takes a negative run time as 0', () => {
    expect(observed(NO_ESTIMATE, -50)).toMatchObject({
      samples: 1,
      meanMs: 0,
      logMean: 0,
      logVariance: 0,
    });
  });

  it('keeps its typical time near the median of lognormal run times, below their mean', () => {
    const random = seededRandom(7);
    const samples = Array.from({ length: 2_000 }, () => lognormal(random, 100, 1));
    // Averaged over all (alpha below 1/n): the mean of logs is the log of the median.
    const all = runAll(samples, 1 / 4_000);
    expect(typicalMs(all)).toBeGreaterThan(90);
    expect(typicalMs(all)).toBeLessThan(110);
    // The mean of a lognormal with sigma 1 is e^(1/2), about 1.65 times its median.
    expect(all.meanMs / typicalMs(all)).toBeGreaterThan(1.45);
    expect(all.meanMs / typicalMs(all)).toBeLessThan(1.85);
    // The expected time, from the logs alone, finds that mean too.
    expect(expectedMs(all) / all.meanMs).toBeGreaterThan(0.9);
    expect(expectedMs(all) / all.meanMs).toBeLessThan(1.1);
    // The moving estimate (alpha 0.05) stays near the median too.
    const moving = runAll(samples);
    expect(typicalMs(moving)).toBeGreaterThan(65);
    expect(typicalMs(moving)).toBeLessThan(150);
  });

  it('is not dragged up by one rare slow run as the mean is', () => {
    const e = runAll([...Array(19).fill(100), 10_000]);
    expect(e.meanMs).toBeCloseTo(595, 6);
    expect(typicalMs(e)).toBeLessThan(130);
  });

  it('expects a steadier run time than the plain moving mean after one very slow run', () => {
    const steady = runAll(Array(40).fill(100)); // past the cold start: moving by alpha 0.05
    const slow = observed(steady, 10_000);
    // The mean jumps by alpha of the 9.9 s: 495 ms; the expected time by under a quarter of it.
    expect(slow.meanMs).toBeCloseTo(595, 6);
    expect(expectedMs(slow)).toBeGreaterThan(100);
    expect(expectedMs(slow) - 100).toBeLessThan((slow.meanMs - 100) / 4);
    // And it settles sooner: 20 ordinary runs later the mean is still 177 ms off.
    let later = slow;
    for (let i = 0; i < 20; i++) later = observed(later, 100);
    expect(later.meanMs).toBeCloseTo(100 + 495 * 0.95 ** 20, 6);
    expect(expectedMs(later) - 100).toBeLessThan((later.meanMs - 100) / 4);
  });

  it('prefers a specific estimate only once it has enough samples', () => {
    const general = runAll([100]);
    const young = runAll(Array(TRUSTED_SAMPLES - 1).fill(10));
    const trusted = runAll(Array(TRUSTED_SAMPLES).fill(10));
    expect(preferred(undefined, general)).toBe(general);
    expect(preferred(young, general)).toBe(general);
    expect(preferred(trusted, general)).toBe(trusted);
  });
});

describe('service times per task type and agent', () => {
  it('judges a task by its agent’s own typical time when trusted and shorter, else the type’s', () => {
    const times = new ServiceTimes();
    for (let i = 0; i < TRUSTED_SAMPLES; i++) times.observe('resize', 'fast', 10);
    for (let i = 0; i < TRUSTED_SAMPLES; i++) times.observe('resize', 'slow', 1_000);
    const general = times.typicalMs('resize');
    expect(general).toBeGreaterThan(10);
    expect(general).toBeLessThan(1_000);
    expect(times.typicalMs('resize', 'fast')).toBeCloseTo(10, 6);
    // A slow agent is its limiter's business: the task could still finish in time elsewhere.
    expect(times.typicalMs('resize', 'slow')).toBe(general);
    expect(times.typicalMs('resize', 'new-agent')).toBe(general);
    // What a queued one costs: the lower of the lognormal expectation and the plain mean.
    // Runs split between 10 ms and 1 s are not lognormal: the expectation (log-mean halfway
    // between ln 11 and ln 1001, log-variance the half-gap²) would be about 1.3 s, more than
    // any run ever took, so the plain mean (505 ms) is what a queued one costs.
    const [fast, slow] = [Math.log(11), Math.log(1_001)];
    const lognormal = Math.exp((fast + slow) / 2 + ((slow - fast) / 2) ** 2 / 2) - 1;
    const estimate = times.byType().get('resize') ?? NO_ESTIMATE;
    expect(expectedMs(estimate)).toBeCloseTo(lognormal, 6);
    expect(estimate.meanMs).toBeCloseTo(505, 6);
    expect(times.meanMs('resize')).toBeCloseTo(505, 6);
    expect(times.meanMs('never-ran')).toBe(0);
    expect(times.typicalMs('never-ran', 'fast')).toBe(0);
  });
});
