// Concurrent writers on one shared state, interleaved at random but deterministically: each
// reads, lets others run for a random number of turns, then writes through withFreshState.
// No accepted write may rest on a stale read; a state that skips the version check is caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StaleState } from '../../src/errors/index.js';
import {
  SharedState,
  type StatePatch,
  type StateSnapshot,
  type StateWrite,
  type VersionedState,
  withFreshState,
} from '../../src/teams/shared-state.js';
import { type Actor, interleave } from './interleaving.js';

/** Each writer adds one to `count` and its name to `log`, from the value it read. */
type Tally = { count: number; log: string[] };
type Tracked = VersionedState<Tally> & { history(): readonly StateWrite<Tally>[] };
const INITIAL: Tally = { count: 0, log: [] };

/** SharedState without its one safeguard: it takes every write, whatever it was based on. */
class UncheckedState implements VersionedState<Tally> {
  #value: Tally = INITIAL;
  readonly #writes: StateWrite<Tally>[] = [];
  read(): StateSnapshot<Tally> {
    return { version: this.#writes.length, value: this.#value };
  }
  write(basedOn: number, patch: StatePatch<Tally>, writer: string): { version: number } {
    const fields = typeof patch === 'function' ? patch(this.#value) : patch;
    this.#value = { ...this.#value, ...fields };
    this.#writes.push({ version: this.#writes.length + 1, writer, basedOn, patch: fields });
    return { version: this.#writes.length };
  }
  history(): readonly StateWrite<Tally>[] {
    return [...this.#writes];
  }
}

const writers = fc.array(
  fc.record({
    /** Turns the writer lets others run between its read and its write, attempt by attempt. */
    turns: fc.array(fc.nat(3), { minLength: 1, maxLength: 4 }),
    maxTries: fc.integer({ min: 1, max: 4 }),
  }),
  { minLength: 1, maxLength: 5 },
);
const picks = fc.array(fc.nat(), { maxLength: 60 });

type Writer = { turns: number[]; maxTries: number };

function writerActor(state: Tracked, { turns, maxTries }: Writer, name: string) {
  const actor: Actor<{ version: number }> = async (turn) => {
    let attempt = 0;
    return withFreshState(
      state,
      async ({ value }) => {
        const wait = turns[attempt++ % turns.length] ?? 0;
        for (let t = 0; t < wait; t++) await turn();
        return { count: value.count + 1, log: [...value.log, name] };
      },
      { maxTries, writer: name },
    );
  };
  return actor;
}

/** The invariants of one interleaved run against the state `make` returns. */
function interleavedWriters(make: () => Tracked) {
  return fc.asyncProperty(writers, picks, async (specs, order) => {
    const state = make();
    const names = specs.map((_, i) => `w${i}`);
    const actors = specs.map((spec, i) => writerActor(state, spec, names[i] as string));
    const outcomes = await interleave(actors, order);
    const history = state.history();

    // Every accepted write was based on the version just before it; versions are consecutive.
    expect(history.map((write) => write.version)).toEqual(history.map((_, i) => i + 1));
    for (const write of history) expect(write.basedOn).toBe(write.version - 1);
    // The value is the accepted patches applied in order, and no update was lost.
    const replayed: Tally = { ...INITIAL };
    for (const write of history) Object.assign(replayed, write.patch);
    const { version, value } = state.read();
    expect(version).toBe(history.length);
    expect(value).toEqual(replayed);
    expect(value).toEqual({ count: history.length, log: history.map((write) => write.writer) });
    // A writer either landed exactly its one write, or gave up with StaleState.
    for (const [i, outcome] of outcomes.entries()) {
      const mine = history.filter((write) => write.writer === names[i]);
      if (outcome.status === 'fulfilled')
        expect(mine.map((w) => w.version)).toEqual([outcome.value.version]);
      else expect([outcome.reason, mine]).toEqual([expect.any(StaleState), []]);
    }
  });
}

describe('concurrent writers on a shared state', () => {
  it('every accepted write rests on the version just before it, and the value is its patches in order', async () => {
    await fc.assert(interleavedWriters(() => new SharedState<Tally>(INITIAL)));
  });

  it('catches a state that skips the version check (the property fails for it)', async () => {
    const result = await fc.check(
      interleavedWriters(() => new UncheckedState()),
      {
        endOnFailure: true,
      },
    );
    expect(result.failed).toBe(true);
  });
});

describe('the interleaving harness', () => {
  it('runs one actor at a time, resuming the parked actor each pick chooses', async () => {
    const trace: string[] = [];
    const actor =
      (name: string): Actor<string> =>
      async (turn) => {
        for (let step = 0; step < 2; step++) {
          trace.push(`${name}${step}`);
          await turn();
        }
        return name;
      };
    const outcomes = await interleave([actor('a'), actor('b')], [1, 0, 1, 0]);
    // Both start and park; picks resume b (the second parked), a, then b and a to their ends.
    expect(trace).toEqual(['a0', 'b0', 'b1', 'a1']);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'fulfilled', value: 'b' },
    ]);
  });
});
