// Building blocks of generated step sequences, shared by the task and agent cases: clock
// advances that land before, on and after the machine's own delays, events whose `at`
// follows the simulated clock (and sometimes lags it), and one arbitrary per event type,
// so a new event type in a machine's vocabulary cannot be left out of the generators.
import fc from 'fast-check';
import type { AnyEventObject } from 'xstate';
import type { Step } from './differential.js';

/**
 * One arbitrary per event type of `E` (child done/error events aside, which have template
 * literal types): the mapped type makes a new event type a compile error until it is here.
 */
export type EventArbitraries<E extends { type: string }> = {
  readonly [K in Exclude<E['type'], `xstate.${string}`>]: fc.Arbitrary<Extract<E, { type: K }>>;
};

/** `at` as generated: an offset from the clock, mostly ahead, sometimes stale. */
export const atOffset = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: -20, max: -1 }) },
);

/** The events XState relays to a parent from its child `id`, ended well or failed. */
export const childEvents = (id: string) =>
  fc.oneof(
    fc.record({
      type: fc.constant(`xstate.done.actor.${id}` as const),
      output: fc.oneof(fc.constant(undefined), fc.integer(), fc.constant({ ok: true })),
      actorId: fc.constant(id),
    }),
    fc.record({
      type: fc.constant(`xstate.error.actor.${id}` as const),
      error: fc.constantFrom(new Error('child failed'), 'a string error'),
      actorId: fc.constant(id),
    }),
  );

/** All of a machine's events, each type weighted (1 unless said). */
export function anyEvent<E extends { type: string }>(
  arbitraries: EventArbitraries<E>,
  weights: Partial<Record<keyof EventArbitraries<E>, number>>,
  extra: readonly fc.Arbitrary<AnyEventObject>[] = [],
): fc.Arbitrary<AnyEventObject> {
  const entries = Object.entries(arbitraries) as [keyof EventArbitraries<E>, fc.Arbitrary<E>][];
  return fc.oneof(
    ...entries.map(([type, arbitrary]) => ({
      weight: weights[type] ?? 1,
      arbitrary: arbitrary as fc.Arbitrary<AnyEventObject>,
    })),
    ...extra.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

/** Clock advances: none, a little, exactly one of `delays` or one ms either side, a lot. */
export function advance(delays: readonly number[]): fc.Arbitrary<number> {
  const around = [...new Set(delays.flatMap((d) => [d - 1, d, d + 1]).filter((d) => d >= 0))];
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 20 }) },
    ...(around.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...around) }] : []),
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }) },
  );
}

/**
 * Up to `maxLength` steps from events (with `at` as an offset) and advances, and now and
 * then a run of events a runtime sends together (assign then start, say: it counts as one
 * step) so generated sequences reach deep states often. Each `at` becomes clock time plus its offset (never below 0), so
 * times mostly increase as a runtime's would.
 */
export function steps(
  event: fc.Arbitrary<AnyEventObject>,
  advanceMs: fc.Arbitrary<number>,
  options: {
    readonly maxLength: number;
    readonly advanceWeight: number;
    readonly together?: fc.Arbitrary<AnyEventObject[]>;
  },
): fc.Arbitrary<Step[]> {
  const step = fc.oneof(
    { weight: 10, arbitrary: event.map((send): Step[] => [{ send }]) },
    {
      weight: options.advanceWeight,
      arbitrary: advanceMs.map((ms): Step[] => [{ advance: ms }]),
    },
    ...(options.together
      ? [
          {
            weight: 2,
            arbitrary: options.together.map((all) => all.map((send): Step => ({ send }))),
          },
        ]
      : []),
  );
  return fc.array(step, { maxLength: options.maxLength, size: 'max' }).map((chunks) => {
    let now = 0;
    return chunks.flat().map((s): Step => {
      if ('advance' in s) {
        now += s.advance;
        return s;
      }
      const at = s.send.at;
      return typeof at === 'number' ? { send: { ...s.send, at: Math.max(0, now + at) } } : s;
    });
  });
}
