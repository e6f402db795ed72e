// A QoS class's overload controller (CoDel-style, with adaptive LIFO). In `normal` mode the
// class serves earliest-due first. When the queueing delay of the tasks leaving its queue
// has stayed above the class's target for a whole interval, a standing queue has built up:
// the class is `overloaded`, serves its freshest work first (a burst then makes only its
// oldest tasks late, not all of them) and sweeps its queue for work that can no longer
// finish in time. If the work queued would by itself take the whole SLO to serve, anything
// new would be late: the class is `shedding` and refuses new work at the door, until the
// backlog is below the SLO again. Both modes end when the backlog left would wait no longer
// than the target (or the queue empties).
import { assign, emit, not, setup } from 'xstate';

export type ClassMode = 'normal' | 'overloaded' | 'shedding';

export interface ClassControllerInput {
  readonly qos: string;
  /** Queueing delay the class tolerates without a standing queue, ms. */
  readonly targetMs: number;
  /** How long the delay must stay above target before the class is overloaded, ms. */
  readonly intervalMs: number;
  /** The class's SLO: a backlog that long is hopeless. */
  readonly sloMs: number;
}

export type ClassControllerEvent =
  /**
   * A task of the class left its queue after `delayMs`; `backlogMs` is how long the work
   * still queued would wait (machines/finish-prediction.ts).
   */
  | {
      readonly type: 'delay.sampled';
      readonly delayMs: number;
      readonly backlogMs: number;
      readonly at: number;
    }
  /** Nothing of the class is queued any more. */
  | { readonly type: 'queue.emptied'; readonly at: number };

export type ClassControllerEmitted =
  | {
      readonly type: 'mode.changed';
      readonly qos: string;
      readonly mode: ClassMode;
      readonly delayMs: number;
      readonly at: number;
    }
  /** Time to take queued work that can no longer finish in time out of the queue. */
  | { readonly type: 'sweep.due'; readonly qos: string; readonly at: number };

export interface ClassControllerContext extends ClassControllerInput {
  /** Since when every sample was above target (null: the last one was not). */
  readonly aboveSince: number | null;
  readonly lastSweepAt: number;
}

const sampleOf = (event: ClassControllerEvent) =>
  event.type === 'delay.sampled' ? event : { delayMs: 0, backlogMs: 0, at: event.at };

export const classControllerMachine = setup({
  types: {
    input: {} as ClassControllerInput,
    context: {} as ClassControllerContext,
    events: {} as ClassControllerEvent,
    emitted: {} as ClassControllerEmitted,
  },
  guards: {
    aboveForInterval: ({ context, event }) => {
      const s = sampleOf(event);
      return (
        s.delayMs > context.targetMs &&
        context.aboveSince !== null &&
        s.at - context.aboveSince >= context.intervalMs
      );
    },
    above: ({ context, event }) => sampleOf(event).delayMs > context.targetMs,
    drained: ({ context, event }) => sampleOf(event).backlogMs <= context.targetMs,
    hopeless: ({ context, event }) => sampleOf(event).backlogMs >= context.sloMs,
    sweepDue: ({ context, event }) => sampleOf(event).at - context.lastSweepAt >= context.targetMs,
  },
  actions: {
    markAbove: assign({
      aboveSince: ({ context, event }) => context.aboveSince ?? sampleOf(event).at,
    }),
    clearAbove: assign({ aboveSince: null }),
    enterOverload: assign({
      lastSweepAt: ({ event }) => sampleOf(event).at,
      aboveSince: null,
    }),
    markSweep: assign({ lastSweepAt: ({ event }) => sampleOf(event).at }),
    emitSweep: emit(({ context, event }) => ({
      type: 'sweep.due' as const,
      qos: context.qos,
      at: sampleOf(event).at,
    })),
    /** Announces the mode the transition enters (`params.mode`). */
    emitMode: emit(({ context, event }, params: { mode: ClassMode }) => ({
      type: 'mode.changed' as const,
      qos: context.qos,
      mode: params.mode,
      delayMs: sampleOf(event).delayMs,
      at: sampleOf(event).at,
    })),
  },
}).createMachine({
  id: 'qosClass',
  context: ({ input }) => ({ ...input, aboveSince: null, lastSweepAt: 0 }),
  initial: 'normal',
  states: {
    normal: {
      on: {
        'delay.sampled': [
          {
            guard: 'aboveForInterval',
            target: 'overloaded',
            actions: [
              'enterOverload',
              { type: 'emitMode', params: { mode: 'overloaded' } },
              'emitSweep',
            ],
          },
          { guard: 'above', actions: 'markAbove' },
          { actions: 'clearAbove' },
        ],
        'queue.emptied': { actions: 'clearAbove' },
      },
    },
    overloaded: {
      on: {
        'delay.sampled': [
          {
            guard: 'drained',
            target: 'normal',
            actions: { type: 'emitMode', params: { mode: 'normal' } },
          },
          {
            guard: 'hopeless',
            target: 'shedding',
            actions: [{ type: 'emitMode', params: { mode: 'shedding' } }, 'markSweep', 'emitSweep'],
          },
          { guard: 'sweepDue', actions: ['markSweep', 'emitSweep'] },
        ],
        'queue.emptied': {
          target: 'normal',
          actions: { type: 'emitMode', params: { mode: 'normal' } },
        },
      },
    },
    shedding: {
      on: {
        'delay.sampled': [
          {
            guard: 'drained',
            target: 'normal',
            actions: { type: 'emitMode', params: { mode: 'normal' } },
          },
          {
            guard: not('hopeless'),
            target: 'overloaded',
            actions: { type: 'emitMode', params: { mode: 'overloaded' } },
          },
          { guard: 'sweepDue', actions: ['markSweep', 'emitSweep'] },
        ],
        'queue.emptied': {
          target: 'normal',
          actions: { type: 'emitMode', params: { mode: 'normal' } },
        },
      },
    },
  },
});
