import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import {
  type AgentLimiterEmitted,
  type AgentLimiterOptions,
  agentLimiterMachine,
} from '../../machines/agent-limiter.js';
import { agentLimiterInputProblems } from '../../machines/agent-limiter-types.js';
import { increasedLimit, nextBaselineMs } from '../../machines/aimd.js';
import { compileMachine } from '../../src/compiled/compiled-machine.js';

/** A limiter on a simulated clock; each attempt starts when the previous one ended. */
function startLimiter(concurrency: number, options: AgentLimiterOptions = {}) {
  const clock = new SimulatedClock();
  const emitted: AgentLimiterEmitted[] = [];
  const actor = createActor(agentLimiterMachine, {
    clock,
    input: { agentId: 'gpu-1', concurrency, options },
  });
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const attempt = (ok: boolean, latencyMs = 100) => {
    clock.increment(latencyMs);
    actor.send({ type: 'attempt.ended', ok, latencyMs, at: clock.now() });
  };
  const times = (n: number, ok: boolean, latencyMs = 100) => {
    for (let i = 0; i < n; i++) attempt(ok, latencyMs);
  };
  const slots = () => actor.getSnapshot().context.slots;
  const value = () => actor.getSnapshot().value;
  const limits = () => emitted.map((e) => [e.limit, e.breaker]);
  return { actor, clock, emitted, attempt, times, slots, value, limits };
}

describe('agent limiter: additive increase, multiplicative decrease', () => {
  it('grows one slot per window of fast successes up to its concurrency, and not beyond', () => {
    const l = startLimiter(4, { initialLimit: 1 });
    l.attempt(true);
    expect(l.slots()).toBe(2);
    l.times(2, true);
    expect(l.slots()).toBe(3);
    l.times(3, true);
    expect(l.slots()).toBe(4);
    l.times(50, true);
    expect(l.slots()).toBe(4);
    expect(l.actor.getSnapshot().context.limit).toBe(4);
    // Only the whole-slot changes were announced, not the 56 attempts.
    expect(l.limits()).toEqual([
      [2, 'closed'],
      [3, 'closed'],
      [4, 'closed'],
    ]);
  });

  it('halves on each failure down to one slot, and not below', () => {
    const l = startLimiter(8);
    l.attempt(true);
    l.times(3, false);
    expect(l.slots()).toBe(1);
    l.attempt(false);
    expect(l.slots()).toBe(1);
    expect(l.value()).toBe('closed');
    expect(l.limits()).toEqual([
      [4, 'closed'],
      [2, 'closed'],
      [1, 'closed'],
    ]);
  });

  it('takes a success slower than latencyToleranceRatio x the baseline for congestion', () => {
    const l = startLimiter(8, { initialLimit: 4 });
    l.attempt(true, 100); // the baseline: 100 ms
    expect(l.slots()).toBe(4);
    l.attempt(true, 200); // twice the baseline is tolerated; the baseline creeps to 105
    expect(l.actor.getSnapshot().context.baselineMs).toBe(105);
    l.attempt(true, 211); // over 2 x 105: slow
    expect(l.slots()).toBe(2);
    l.attempt(true, 30); // faster: from 110.3 the baseline falls halfway to it at once
    expect(l.actor.getSnapshot().context.baselineMs).toBeCloseTo(70.15);
  });

  it('decreases once for the attempts that were in flight when it decreased', () => {
    const l = startLimiter(8, { failureThreshold: 10 });
    l.attempt(true);
    // Four attempts dispatched together fail one after the other: one congestion event.
    for (let i = 0; i < 4; i++) {
      l.clock.increment(1);
      l.actor.send({ type: 'attempt.ended', ok: false, latencyMs: 50, at: l.clock.now() });
    }
    expect(l.slots()).toBe(4);
    l.attempt(false); // started after the decrease: a new signal
    expect(l.slots()).toBe(2);
  });
});

describe('agent limiter: circuit breaker', () => {
  const breaker = { failureThreshold: 3, openMs: 1_000 };

  it('opens after failureThreshold failures in a row; a success restarts the count', () => {
    const l = startLimiter(4, breaker);
    l.times(2, false);
    l.attempt(true);
    l.times(2, false);
    expect(l.value()).toBe('closed');
    l.attempt(false);
    expect(l.value()).toBe('open');
    expect(l.slots()).toBe(0);
    expect(l.emitted.at(-1)).toEqual({
      type: 'limit.changed',
      agentId: 'gpu-1',
      limit: 0,
      breaker: 'open',
      at: l.clock.now(),
    });
  });

  it('half-opens exactly openMs after it opened, with one slot for a probe', () => {
    const l = startLimiter(4, breaker);
    l.times(3, false);
    const openedAt = l.clock.now();
    l.clock.increment(999);
    expect(l.value()).toBe('open');
    l.clock.increment(1);
    expect(l.value()).toBe('halfOpen');
    expect(l.slots()).toBe(1);
    expect(l.emitted.at(-1)).toMatchObject({
      limit: 1,
      breaker: 'half-open',
      at: openedAt + 1_000,
    });
  });

  it('closes at one slot after `probes` successful probes, and grows back from there', () => {
    const l = startLimiter(4, { ...breaker, probes: 2 });
    l.times(3, false);
    l.clock.increment(1_000);
    l.attempt(true);
    expect(l.value()).toBe('halfOpen');
    l.attempt(true);
    expect(l.value()).toBe('closed');
    expect(l.slots()).toBe(1);
    l.times(3, true);
    expect(l.slots()).toBe(3);
    expect(l.limits().slice(-5)).toEqual([
      [0, 'open'],
      [1, 'half-open'],
      [1, 'closed'],
      [2, 'closed'],
      [3, 'closed'],
    ]);
  });

  it('opens again for another openMs when a probe fails', () => {
    const l = startLimiter(4, breaker);
    l.times(3, false);
    l.clock.increment(1_000);
    l.attempt(false, 20);
    expect(l.value()).toBe('open');
    l.clock.increment(999);
    expect(l.value()).toBe('open');
    l.clock.increment(1);
    expect(l.value()).toBe('halfOpen');
  });

  it('learns nothing from attempts that end while open, and announces nothing', () => {
    const l = startLimiter(4, breaker);
    l.times(3, false);
    const before = { context: l.actor.getSnapshot().context, emitted: l.emitted.length };
    l.times(2, true, 10);
    l.times(2, false, 10);
    expect(l.actor.getSnapshot().context).toEqual(before.context);
    expect(l.emitted).toHaveLength(before.emitted);
  });

  it('returns on reset to closed at its initial limit, without a baseline', () => {
    const l = startLimiter(4, { ...breaker, initialLimit: 2 });
    l.times(3, false);
    l.actor.send({ type: 'reset', at: l.clock.now() });
    expect(l.value()).toBe('closed');
    expect(l.actor.getSnapshot().context).toMatchObject({ slots: 2, baselineMs: null });
    expect(l.limits().at(-1)).toEqual([2, 'closed']);
    const announced = l.emitted.length;
    l.actor.send({ type: 'reset', at: l.clock.now() }); // nothing changes: nothing announced
    expect(l.emitted).toHaveLength(announced);
  });
});

describe('agent limiter: arithmetic and input', () => {
  it('reaches whole slots exactly through fractional increases', () => {
    let limit = 3;
    for (let i = 0; i < 3; i++) limit = increasedLimit(limit, 10, 1);
    expect(limit).toBe(4);
  });

  it('keeps the baseline a slowly forgetting minimum', () => {
    expect(nextBaselineMs(null, 80, 0.05)).toBe(80);
    expect(nextBaselineMs(100, 200, 0.05)).toBe(105);
    expect(nextBaselineMs(100, 20, 0.05)).toBe(60);
    expect(nextBaselineMs(100, Number.NaN, 0.05)).toBe(100);
  });

  it('names every invalid field of an input', () => {
    expect(agentLimiterInputProblems({ agentId: 'a', concurrency: 2 })).toEqual([]);
    expect(
      agentLimiterInputProblems({
        agentId: 'a',
        concurrency: 0,
        options: { decreaseFactor: 1, probes: 1.5, openMs: -1 },
      }),
    ).toEqual([
      'concurrency must be an integer >= 1, got 0',
      'options.decreaseFactor must be within (0, 1), got 1',
      'options.openMs must be a number of ms >= 0, got -1',
      'options.probes must be an integer >= 1, got 1.5',
    ]);
  });

  it('compiles for the compiled interpreter: it uses only the features it supports', () => {
    expect(() => compileMachine(agentLimiterMachine)).not.toThrow();
  });
});

// Any run: attempts that succeed or fail, fast or slow, in flight together or one by one,
// resets, and clock advances around openMs. The seed is fixed (test/support/fast-check-seed.ts;
// FC_SEED replays another) and fast-check prints it with a shrunk counterexample.
const options = fc.record({
  initialLimit: fc.integer({ min: 1, max: 8 }),
  failureThreshold: fc.integer({ min: 1, max: 4 }),
  probes: fc.integer({ min: 1, max: 3 }),
  openMs: fc.integer({ min: 0, max: 500 }),
  decreaseFactor: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
  increase: fc.double({ min: 0.1, max: 3, noNaN: true }),
});
type Step =
  | { readonly attempt: { ok: boolean; latencyMs: number; gapMs: number } }
  | { readonly advance: number }
  | { readonly reset: true };
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      attempt: fc.record({
        ok: fc.boolean(),
        latencyMs: fc.integer({ min: 0, max: 400 }),
        gapMs: fc.integer({ min: 0, max: 300 }),
      }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ advance: fc.integer({ min: 0, max: 600 }) }) },
  { weight: 1, arbitrary: fc.constant({ reset: true as const }) },
);

describe('agent limiter properties', () => {
  it('for any run, 0 <= slots <= concurrency; slots is 0 iff open and 1 while half-open; it announces exactly the changes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), options, fc.array(step), (max, o, run) => {
        const l = startLimiter(max, o);
        let announced: readonly [number, string] = [l.slots(), 'closed'];
        for (const s of run) {
          const seen = l.emitted.length;
          if ('attempt' in s) {
            l.clock.increment(s.attempt.gapMs);
            const { ok, latencyMs } = s.attempt;
            l.actor.send({ type: 'attempt.ended', ok, latencyMs, at: l.clock.now() });
          } else if ('advance' in s) l.clock.increment(s.advance);
          else l.actor.send({ type: 'reset', at: l.clock.now() });
          const { slots, limit } = l.actor.getSnapshot().context;
          const breaker = { closed: 'closed', open: 'open', halfOpen: 'half-open' }[
            l.value() as 'closed' | 'open' | 'halfOpen'
          ];
          expect(Number.isInteger(slots) && slots === Math.floor(limit)).toBe(true);
          expect(slots).toBeGreaterThanOrEqual(0);
          expect(slots).toBeLessThanOrEqual(max);
          expect(slots === 0).toBe(breaker === 'open');
          if (breaker === 'half-open') expect(slots).toBe(1);
          for (const e of l.emitted.slice(seen)) {
            expect([e.limit, e.breaker]).not.toEqual(announced);
            announced = [e.limit, e.breaker];
          }
          expect(announced).toEqual([slots, breaker]);
        }
      }),
    );
  });
});
