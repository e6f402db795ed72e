import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import {
  type ClassControllerEmitted,
  classControllerMachine,
} from '../../machines/class-controller.js';
import { compileMachine } from '../../src/compiled/compiled-machine.js';

const TARGET = 50;
const INTERVAL = 200;

/**
 * A controller for class `web` (target 50 ms, interval 200 ms) on a simulated clock. The
 * machine has no timers: `sample(afterMs, delayMs, backlogMs)` moves the clock on and
 * reports a task leaving the queue at that time.
 */
function startController(targetMs = TARGET, intervalMs = INTERVAL) {
  const clock = new SimulatedClock();
  const emitted: ClassControllerEmitted[] = [];
  const actor = createActor(classControllerMachine, {
    input: { qos: 'web', targetMs, intervalMs },
  });
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const sample = (afterMs: number, delayMs: number, backlogMs = 1_000) => {
    clock.increment(afterMs);
    actor.send({ type: 'delay.sampled', delayMs, backlogMs, at: clock.now() });
  };
  const emptied = (afterMs = 0) => {
    clock.increment(afterMs);
    actor.send({ type: 'queue.emptied', at: clock.now() });
  };
  const mode = () => actor.getSnapshot().value;
  const modes = () => emitted.flatMap((e) => (e.type === 'mode.changed' ? [e.mode] : []));
  const sweeps = () => emitted.flatMap((e) => (e.type === 'sweep.due' ? [e.at] : []));
  /** Above target long enough to overload: at 0 and at INTERVAL. */
  const overload = () => {
    sample(0, TARGET + 1);
    sample(INTERVAL, TARGET + 1);
  };
  return { clock, actor, emitted, sample, emptied, mode, modes, sweeps, overload };
}

describe('class controller: when a class is overloaded', () => {
  it('stays normal while the queueing delay is at or below target, however long', () => {
    const c = startController();
    for (let i = 0; i < 100; i++) c.sample(40, i % 2 === 0 ? TARGET : 10);
    expect(c.mode()).toBe('normal');
    expect(c.emitted).toEqual([]);
  });

  it('does not overload on a single high sample, nor on high samples broken by a low one', () => {
    const c = startController();
    c.sample(0, 10_000);
    c.sample(INTERVAL, 10); // the standing queue did not stand
    c.sample(1, 10_000);
    c.sample(INTERVAL - 2, 10_000); // above again, but for less than an interval
    expect(c.mode()).toBe('normal');
    expect(c.emitted).toEqual([]);
  });

  it('overloads when the delay stays above target for a whole interval, asking for a sweep', () => {
    const c = startController();
    c.sample(100, TARGET + 1);
    c.sample(INTERVAL / 2, 80);
    c.sample(INTERVAL / 2, 60);
    expect(c.mode()).toBe('overloaded');
    expect(c.emitted).toEqual([
      { type: 'mode.changed', qos: 'web', mode: 'overloaded', delayMs: 60, at: 300 },
      { type: 'sweep.due', qos: 'web', at: 300 },
    ]);
  });

  it('forgets time above target when the queue empties in normal mode', () => {
    const c = startController();
    c.sample(0, 100);
    c.emptied(INTERVAL / 2);
    c.sample(INTERVAL / 2, 100); // above since the empty queue: a new interval starts here
    expect(c.mode()).toBe('normal');
    c.sample(INTERVAL, 100);
    expect(c.mode()).toBe('overloaded');
  });
});

describe('class controller: leaving overload', () => {
  it('returns to normal when the backlog left would wait no longer than the target', () => {
    const c = startController();
    c.overload();
    c.sample(10, 500, TARGET + 1); // a long wait still queued: stays
    expect(c.mode()).toBe('overloaded');
    c.sample(10, 500, TARGET); // the delay of the leaving task does not matter, the backlog does
    expect(c.mode()).toBe('normal');
    expect(c.emitted.at(-1)).toEqual({
      type: 'mode.changed',
      qos: 'web',
      mode: 'normal',
      delayMs: 500,
      at: INTERVAL + 20,
    });
  });

  it('sheds load when overload has not drained within two intervals, asking for a sweep', () => {
    const c = startController();
    c.overload(); // at 200
    c.sample(2 * INTERVAL - 1, 10); // low delay, but the backlog still stands
    expect(c.mode()).toBe('overloaded');
    c.sample(1, 10);
    expect(c.mode()).toBe('shedding');
    expect(c.modes()).toEqual(['overloaded', 'shedding']);
    expect(c.emitted.slice(-2)).toEqual([
      { type: 'mode.changed', qos: 'web', mode: 'shedding', delayMs: 10, at: 600 },
      { type: 'sweep.due', qos: 'web', at: 600 },
    ]);
  });

  it('returns to normal from shedding when drained or when the queue empties', () => {
    const drained = startController();
    drained.overload();
    drained.sample(2 * INTERVAL, 100);
    drained.sample(10, 100, 0);
    expect(drained.modes()).toEqual(['overloaded', 'shedding', 'normal']);

    const emptied = startController();
    emptied.overload();
    emptied.sample(2 * INTERVAL, 100);
    emptied.emptied(5);
    expect(emptied.modes()).toEqual(['overloaded', 'shedding', 'normal']);
    expect(emptied.emitted.at(-1)).toMatchObject({ mode: 'normal', delayMs: 0, at: 605 });
  });

  it('returns to normal from overloaded when the queue empties', () => {
    const c = startController();
    c.overload();
    c.emptied(1);
    expect(c.mode()).toBe('normal');
    expect(c.modes()).toEqual(['overloaded', 'normal']);
  });
});

describe('class controller: sweeps', () => {
  it('sweeps at most once every targetMs while overloaded and while shedding', () => {
    const c = startController();
    c.overload(); // sweep at 200
    for (let i = 0; i < 39; i++) c.sample(10, 100); // to 590, overloaded
    expect(c.mode()).toBe('overloaded');
    expect(c.sweeps()).toEqual([200, 250, 300, 350, 400, 450, 500, 550]);
    c.sample(10, 100); // 600: shedding, and a sweep with it
    for (let i = 0; i < 12; i++) c.sample(15, 100); // to 780
    expect(c.mode()).toBe('shedding');
    expect(c.sweeps().slice(8)).toEqual([600, 660, 720, 780]);
  });

  it('never sweeps in normal mode', () => {
    const c = startController();
    c.overload();
    c.sample(1, 100, 0);
    const before = c.sweeps().length;
    for (let i = 0; i < 20; i++) c.sample(100, 10);
    expect(c.sweeps()).toHaveLength(before);
  });

  it('compiles for the compiled interpreter: it uses only the features it supports', () => {
    expect(() => compileMachine(classControllerMachine)).not.toThrow();
  });
});

// Any run of samples and emptied queues on a clock that only moves forward. The seed is
// fixed (test/support/fast-check-seed.ts) and fast-check prints it with a counterexample.
type Step = { gapMs: number; delayMs: number; backlogMs: number } | { gapMs: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      gapMs: fc.integer({ min: 0, max: 120 }),
      delayMs: fc.integer({ min: 0, max: 150 }),
      backlogMs: fc.integer({ min: 0, max: 150 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ gapMs: fc.integer({ min: 0, max: 120 }) }) },
);

describe('class controller: invariants over any run', () => {
  it('announces each mode change once, overloads only after an interval above target, and sweeps only in overload at most every targetMs', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const c = startController();
        let aboveSince: number | undefined;
        let mode = 'normal';
        let lastSweep = Number.NEGATIVE_INFINITY;
        for (const s of steps) {
          const seen = c.emitted.length;
          if ('delayMs' in s) c.sample(s.gapMs, s.delayMs, s.backlogMs);
          else c.emptied(s.gapMs);
          const now = c.clock.now();
          const above = 'delayMs' in s && s.delayMs > TARGET;
          for (const e of c.emitted.slice(seen)) {
            if (e.type === 'mode.changed') {
              expect(e.mode).not.toBe(mode);
              if (e.mode === 'overloaded') {
                expect(mode).toBe('normal');
                expect(above && aboveSince !== undefined && now - aboveSince >= INTERVAL).toBe(
                  true,
                );
                lastSweep = Number.NEGATIVE_INFINITY; // a new episode sweeps at once
              }
              mode = e.mode;
            } else {
              expect(mode).not.toBe('normal');
              expect(now - lastSweep).toBeGreaterThanOrEqual(TARGET);
              lastSweep = now;
            }
          }
          expect(c.mode()).toBe(mode);
          aboveSince = above ? (aboveSince ?? now) : undefined;
          if (mode !== 'normal') aboveSince = undefined;
        }
      }),
    );
  });
});
