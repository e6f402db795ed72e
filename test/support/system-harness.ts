// A system on a SimulatedClock with a seeded random, recording every event it publishes.
import { SimulatedClock } from 'xstate';
import { seededRandom } from '../../machines/seeded-random.js';
import { createSystem, type OverseerEvent, type SystemOptions } from '../../src/index.js';
import { nextTimerAt } from '../../src/testing/simulate.js';

/** Let every promise chain that is already due run: one turn of the event loop, not a sleep. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Advance simulated time by `ms` as a discrete-event simulation: stop at every timer due
 * on the way, so each fires at its own time (SimulatedClock.increment would fire them all
 * at the end time) and the work it starts settles before the next.
 */
export async function advanceClock(clock: SimulatedClock, ms: number): Promise<void> {
  const target = clock.now() + ms;
  for (let due = nextTimerAt(clock); due !== undefined && due <= target; due = nextTimerAt(clock)) {
    clock.set(Math.max(due, clock.now()));
    await settle();
  }
  clock.set(target);
  await settle();
}

export { seededRandom } from '../../machines/seeded-random.js';

export function startSystem(options: SystemOptions) {
  const clock = new SimulatedClock();
  const system = createSystem({ clock, random: seededRandom(1), ...options });
  const events: OverseerEvent[] = [];
  system.on('*', (event) => events.push(event));
  system.start();
  let ids = 0;
  return {
    clock,
    system,
    events,
    /** Advance simulated time timer by timer, letting handlers settle at each. */
    advance: (ms: number) => advanceClock(clock, ms),
    of<T extends OverseerEvent['type']>(type: T) {
      return events.filter((e): e is Extract<OverseerEvent, { type: T }> => e.type === type);
    },
    nextId: () => `t${++ids}`,
  };
}

/** A promise and its resolver, for handlers the test finishes by hand. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
