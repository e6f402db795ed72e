// A machine that uses every feature the compiled interpreter supports (compound states,
// entry and exit, eventless transitions with and/or/not and parameterized guards, raise
// now and delayed, cancel, `after` with numeric and named delays, emit, reenter, targetless
// and wildcard transitions, handled and unhandled child errors, a throwing action, a final
// state with output) and its generated cases: the task and agent machines use only some.
import fc from 'fast-check';
import { and, assign, cancel, emit, not, or, raise, setup } from 'xstate';
import { anyEvent, type EventArbitraries, steps } from './case-steps.js';

export interface FeatureInput {
  /** How the machine leaves its initial state: normally, by a throwing action, or done. */
  readonly start: 'normal' | 'throw' | 'done';
  /** Added to the named delay `soon`. */
  readonly step: number;
}

interface FeatureContext {
  readonly n: number;
  readonly log: readonly string[];
  readonly step: number;
  readonly start: FeatureInput['start'];
}

/** One event type a member: `{ type: 'go' } | { type: 'back' } | ...`. */
type Plain<T extends string> = T extends string ? { readonly type: T } : never;

export type FeatureEvent =
  | Plain<'go' | 'back' | 'again' | 'quiet' | 'tick' | 'boom' | 'finish' | 'other'>
  | Plain<'ping.x' | 'ping.y'>
  | { readonly type: 'bump'; readonly by: number }
  | { readonly type: `xstate.error.actor.${string}`; readonly error: unknown };

export const featureMachine = setup({
  types: {
    context: {} as FeatureContext,
    events: {} as FeatureEvent,
    input: {} as FeatureInput,
  },
  guards: {
    even: ({ context }) => context.n % 2 === 0,
    atLeast: ({ context }, params: { n: number }) => context.n >= params.n,
    startsBroken: ({ context }) => context.start === 'throw',
    startsDone: ({ context }) => context.start === 'done',
  },
  actions: {
    count: assign({ n: ({ context }) => context.n + 1 }),
    add: assign(({ context, event }) => ({
      n: context.n + (event.type === 'bump' ? event.by : 0),
    })),
    note: assign({ log: ({ context, event }) => [...context.log, event.type] }),
    explode: () => {
      throw new Error('exploded');
    },
    tell: emit(({ context, event }) => ({ type: 'told', n: context.n, on: event.type })),
  },
  delays: { soon: ({ context }) => context.step + context.n },
}).createMachine({
  id: 'features',
  context: ({ input }) => ({ n: 0, log: [], step: input.step, start: input.start }),
  initial: 'boot',
  on: {
    'ping.*': { actions: ['note', 'tell'] },
    'xstate.error.actor.handled': { actions: 'note' },
    finish: { target: '.end' },
  },
  states: {
    boot: {
      always: [
        { guard: 'startsDone', target: 'end' },
        { guard: 'startsBroken', target: 'idle', actions: 'explode' },
        { target: 'idle' },
      ],
    },
    idle: {
      // Entered again (by `tick`, or back from `work`, whose `one` arms the same timer) it
      // arms a new timer `tick`: one still pending is replaced under its id, as in XState.
      entry: [raise({ type: 'tick' }, { id: 'tick', delay: 'soon' }), 'note'],
      exit: 'note',
      on: {
        go: { target: 'work', actions: ['count', raise({ type: 'bump', by: 1 })] },
        tick: { target: 'idle', reenter: true, actions: ['count', emit({ type: 'ticked' })] },
        quiet: { actions: cancel('tick') },
        '*': { actions: 'note' },
      },
    },
    work: {
      initial: 'one',
      entry: 'note',
      exit: 'tell',
      always: { guard: { type: 'atLeast', params: { n: 8 } }, target: 'end' },
      on: {
        bump: [
          { guard: 'even', actions: 'add' },
          { guard: { type: 'atLeast', params: { n: 3 } }, target: '.two', actions: 'add' },
          { actions: ['add', raise({ type: 'back' })] },
        ],
        back: { target: 'idle' },
        boom: { actions: 'explode' },
        again: { target: 'work', reenter: true },
      },
      states: {
        one: {
          entry: raise({ type: 'tick' }, { id: 'tick', delay: 'soon' }),
          after: { 15: { target: 'two' } },
          on: { go: { actions: 'count' } },
        },
        two: {
          entry: emit(({ context }) => ({ type: 'two', n: context.n })),
          always: {
            guard: and([not('even'), or([{ type: 'atLeast', params: { n: 6 } }, 'startsDone'])]),
            target: '#features.idle',
          },
          on: { tick: { actions: 'count' } },
        },
      },
    },
    end: { type: 'final', entry: 'tell' },
  },
  output: ({ context }) => ({ n: context.n, notes: context.log.length }),
});

const simple = <T extends string>(type: T) => fc.constant({ type });
const featureEvents: EventArbitraries<FeatureEvent> = {
  go: simple('go'),
  back: simple('back'),
  again: simple('again'),
  quiet: simple('quiet'),
  tick: simple('tick'),
  boom: simple('boom'),
  finish: simple('finish'),
  other: simple('other'),
  'ping.x': simple('ping.x'),
  'ping.y': simple('ping.y'),
  bump: fc.record({ type: fc.constant('bump'), by: fc.integer({ min: 0, max: 3 }) }),
};
const weights = { go: 6, bump: 4, back: 3, tick: 2, again: 2 };
const childErrors = fc.record({
  type: fc.constantFrom('xstate.error.actor.handled', 'xstate.error.actor.lost'),
  error: fc.constant('child failed'),
});

export const featureCase = (maxLength: number) =>
  fc.record({
    input: fc.record({
      start: fc.oneof(
        { weight: 8, arbitrary: fc.constant('normal' as const) },
        { weight: 1, arbitrary: fc.constantFrom('throw' as const, 'done' as const) },
      ),
      step: fc.integer({ min: 0, max: 20 }),
    }),
    steps: steps(
      anyEvent(featureEvents, weights, [childErrors]),
      fc.constantFrom(0, 1, 5, 10, 15, 20, 50),
      { maxLength, advanceWeight: 6 },
    ),
  });
