// XState's semantics at the edges, each the smallest case the equivalence properties found
// (or a reading of xstate 5.33's source suggested) where the compiled interpreter could
// part from it: a timer id armed twice, an action throwing while the actor starts, and an
// error event relayed under the bare `xstate.error.actor` type. Each runs both sides.
import { describe, expect, it } from 'vitest';
import { assign, cancel, createMachine, raise, setup } from 'xstate';
import { type DifferentialCase, describeMismatch, runDifferential } from './differential.js';

function expectEquivalent(c: DifferentialCase): void {
  const mismatch = runDifferential(c);
  expect(mismatch && describeMismatch(mismatch)).toBeUndefined();
}

/** Arms `tick` on entering `a`; leaving `a` does not cancel it; `quiet` does. */
const rearmed = setup({
  types: {
    context: {} as { ticks: number },
    events: {} as { type: 'go' | 'back' | 'quiet' | 'tick' },
  },
}).createMachine({
  id: 'rearmed',
  context: { ticks: 0 },
  initial: 'a',
  on: { tick: { actions: assign({ ticks: ({ context }) => context.ticks + 1 }) } },
  states: {
    a: {
      entry: raise({ type: 'tick' }, { id: 'tick', delay: 10 }),
      on: { go: { target: 'b' }, quiet: { actions: cancel('tick') } },
    },
    b: { on: { back: { target: 'a' } } },
  },
});
// `tick` armed at 0 (due 10), armed again at 5 (due 15): the first fires at 10.
const rearm = [
  { advance: 5 },
  { send: { type: 'go' } },
  { send: { type: 'back' } },
  { advance: 5 },
  { send: { type: 'quiet' } },
  { advance: 5 },
] as const;

describe('a timer id armed again while its first timer is pending', () => {
  it('is forgotten, as in XState, once the first timer fires', () => {
    // XState (system.scheduler.schedule): the first timer's callback deletes the id's entry,
    // which by then is the second timer's: the second is pending but no longer listed.
    expectEquivalent({ machine: rearmed, input: undefined, steps: rearm });
  });

  it('cannot be cancelled any more, as in XState: the second timer still fires', () => {
    // Looking past the list of pending timers: `quiet` cancels nothing in XState (ticks 2).
    expectEquivalent({
      machine: rearmed,
      input: undefined,
      steps: rearm,
      fields: ['value', 'context', 'status', 'emitted'],
    });
  });
});

describe('an action that throws while the actor starts', () => {
  it('fails the actor in the state its initial macrostep reached, as XState does', () => {
    // XState computes the whole initial state (assigns applied, states entered) at
    // creation and defers custom actions to start(): the throw comes after, in state b.
    const machine = createMachine({
      id: 'm',
      context: { entered: false },
      initial: 'a',
      states: {
        a: {
          always: {
            target: 'b',
            actions: () => {
              throw new Error('thrown while starting');
            },
          },
        },
        b: { entry: assign({ entered: true }) },
      },
    });
    expectEquivalent({ machine, input: undefined, steps: [] });
  });
});

describe('an error event nobody handles', () => {
  const machine = createMachine({ id: 'm', initial: 'a', states: { a: {} } });

  it('fails the actor when relayed from a child, as in XState', () => {
    expectEquivalent({
      machine,
      input: undefined,
      steps: [{ send: { type: 'xstate.error.actor.work', error: 'child failed' } }],
    });
  });

  it("fails the actor under the bare type 'xstate.error.actor' too, as in XState", () => {
    // XState's isErrorActorEvent is `type.startsWith('xstate.error.actor')`, no dot.
    expectEquivalent({
      machine,
      input: undefined,
      steps: [{ send: { type: 'xstate.error.actor', error: 'child failed' } }],
    });
  });
});
