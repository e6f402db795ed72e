import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Backoff,
  backoffDelayMs,
  baseBackoffMs,
  canRetry,
  type RetryPolicy,
  retryPolicyProblems,
} from '../../machines/retry-policy.js';
import { nextRandom } from '../../machines/seeded-random.js';

const exponential = fc.record({
  kind: fc.constant('exponential' as const),
  initialDelayMs: fc.integer({ min: 0, max: 60_000 }),
  factor: fc.double({ min: 1, max: 10, noNaN: true }),
  maxDelayMs: fc.integer({ min: 0, max: 3_600_000 }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
});
const fixed = fc.record({
  kind: fc.constant('fixed' as const),
  delayMs: fc.integer({ min: 0, max: 3_600_000 }),
});
const backoff: fc.Arbitrary<Backoff> = fc.oneof(exponential, fixed);
const sample = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retry decisions', () => {
  it('allows retries while attempts made stay below maxAttempts, and none at the limit', () => {
    const policy: RetryPolicy = { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } };
    expect([0, 1, 2, 3, 4].map((made) => canRetry(policy, made))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('never retries a policy of one attempt', () => {
    expect(canRetry({ maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } }, 1)).toBe(false);
  });
});

describe('backoff delays', () => {
  it('for all policies and attempts, the delay lies within [base * (1 - jitter), base] and under the cap', () => {
    fc.assert(
      fc.property(backoff, fc.integer({ min: 1, max: 10_000 }), sample, (b, attempts, r) => {
        const delay = backoffDelayMs(b, attempts, r);
        const base = baseBackoffMs(b, attempts);
        const jitter = b.kind === 'exponential' ? (b.jitter ?? 0) : 0;
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeLessThanOrEqual(base);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitter)) - 1);
        if (b.kind === 'exponential') expect(delay).toBeLessThanOrEqual(b.maxDelayMs);
      }),
    );
  });

  it('grows exponentially from the initial delay until the cap', () => {
    const b: Backoff = { kind: 'exponential', initialDelayMs: 100, factor: 2, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(b, n, 0.5))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('stays at the cap for attempt counts that would overflow', () => {
    const b: Backoff = {
      kind: 'exponential',
      initialDelayMs: 1_000,
      factor: 10,
      maxDelayMs: 30_000,
    };
    expect(backoffDelayMs(b, 5_000, 0)).toBe(30_000);
  });

  it('full jitter spans the whole range from 0 to the base delay', () => {
    const b: Backoff = { kind: 'exponential', initialDelayMs: 1_000, maxDelayMs: 1_000, jitter: 1 };
    expect(backoffDelayMs(b, 1, 0)).toBe(1_000);
    expect(backoffDelayMs(b, 1, 0.999_999)).toBe(0);
  });

  it('ignores the random sample for fixed backoff', () => {
    fc.assert(
      fc.property(sample, (r) => backoffDelayMs({ kind: 'fixed', delayMs: 250 }, 3, r) === 250),
    );
  });
});

describe('seeded random', () => {
  it('yields samples in [0, 1) and repeats the same sequence from the same seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = nextRandom(seed);
        const b = nextRandom(seed);
        expect(a).toEqual(b);
        expect(a.value).toBeGreaterThanOrEqual(0);
        expect(a.value).toBeLessThan(1);
        expect(nextRandom(a.state).state).not.toBe(a.state);
      }),
    );
  });
});

describe('retry policy validation', () => {
  it('accepts a sound policy', () => {
    expect(retryPolicyProblems({ maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 0 } })).toEqual(
      [],
    );
  });

  it('names every offending field', () => {
    const problems = retryPolicyProblems({
      maxAttempts: 0,
      backoff: {
        kind: 'exponential',
        initialDelayMs: -1,
        maxDelayMs: Number.NaN,
        factor: 0.5,
        jitter: 2,
      },
    });
    expect(problems).toEqual([
      'retry.maxAttempts must be an integer >= 1, got 0',
      'retry.backoff.initialDelayMs must be a finite number >= 0, got -1',
      'retry.backoff.maxDelayMs must be a finite number >= 0, got NaN',
      'retry.backoff.factor must be >= 1, got 0.5',
      'retry.backoff.jitter must lie in [0, 1], got 2',
    ]);
  });

  it('rejects an unknown backoff kind', () => {
    const bad = { maxAttempts: 1, backoff: { kind: 'linear' } } as unknown as RetryPolicy;
    expect(retryPolicyProblems(bad)).toEqual([
      "retry.backoff.kind must be 'fixed' or 'exponential'",
    ]);
  });
});
