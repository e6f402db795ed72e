// An agent's adaptive concurrency and circuit breaker. While `closed` the limit follows
// the agent's latency and failures (AIMD between 1 and its declared concurrency); failures
// in a row open the breaker (limit 0) for `openMs`, then one probe at a time (limit 1)
// decides: closed again from limit 1, or open again. The runtime sends one event per ended
// attempt and reads `slots`; `limit.changed` tells it when the integer limit or breaker moved.
import { assign, emit, setup } from 'xstate';
import type {
  AgentLimiterContext,
  AgentLimiterEmitted,
  AgentLimiterEvent,
  AgentLimiterInput,
  BreakerState,
} from './agent-limiter-types.js';
import { limiterSettingsOf } from './agent-limiter-types.js';
import { adaptLimit, nextBaselineMs } from './aimd.js';

export type {
  AgentLimiterContext,
  AgentLimiterEmitted,
  AgentLimiterEvent,
  AgentLimiterInput,
  AgentLimiterOptions,
  BreakerState,
  LimitChanged,
  LimiterSettings,
} from './agent-limiter-types.js';

/** The context a limiter starts with, and returns to on `reset`. */
export function limiterContextOf(input: AgentLimiterInput): AgentLimiterContext {
  const concurrency = Math.max(1, Math.floor(input.concurrency) || 1);
  const wanted = input.options?.initialLimit ?? concurrency;
  const initialLimit = Math.min(concurrency, Math.max(1, wanted || 1));
  return {
    agentId: input.agentId,
    concurrency,
    initialLimit,
    settings: limiterSettingsOf(input.options),
    limit: initialLimit,
    slots: Math.floor(initialLimit),
    baselineMs: null,
    decreasedAt: null,
    consecutiveFailures: 0,
    probeSuccesses: 0,
    openedAt: null,
  };
}

type Ended = Extract<AgentLimiterEvent, { type: 'attempt.ended' }>;
/** The events the machine acts on, and the delayed one that ends `open`. */
type Seen = AgentLimiterEvent | { type: string };

const ended = (event: Seen): Ended | undefined =>
  event.type === 'attempt.ended' ? (event as Ended) : undefined;

/** The limiter after an attempt ended in `closed`; unchanged for any other event. */
function adapted(context: AgentLimiterContext, event: Seen) {
  const attempt = ended(event);
  if (!attempt) return context;
  return adaptLimit(context, context.concurrency, context.settings, attempt);
}

/** The clock time of a change: the event's, or for the timer that ends `open`, its due time. */
const timeOf = (context: AgentLimiterContext, event: Seen) =>
  'at' in event && typeof event.at === 'number'
    ? event.at
    : (context.openedAt ?? 0) + context.settings.openMs;

const succeeded = (event: Seen) => ended(event)?.ok === true;

/** A success still teaches the baseline while half-open. */
const baselineAfter = (context: AgentLimiterContext, event: Seen) => {
  const attempt = ended(event);
  return attempt?.ok
    ? nextBaselineMs(context.baselineMs, attempt.latencyMs, context.settings.baselineAlpha)
    : context.baselineMs;
};

export const agentLimiterMachine = setup({
  types: {
    context: {} as AgentLimiterContext,
    events: {} as AgentLimiterEvent,
    input: {} as AgentLimiterInput,
    emitted: {} as AgentLimiterEmitted,
  },
  guards: {
    opensBreaker: ({ context, event }) =>
      ended(event)?.ok === false &&
      context.consecutiveFailures + 1 >= context.settings.failureThreshold,
    changesSlots: ({ context, event }) =>
      Math.floor(adapted(context, event).limit) !== context.slots,
    failed: ({ event }) => ended(event)?.ok === false,
    probesPassed: ({ context, event }) =>
      succeeded(event) && context.probeSuccesses + 1 >= context.settings.probes,
    resetChangesSlots: ({ context }) => Math.floor(context.initialLimit) !== context.slots,
  },
  delays: {
    openMs: ({ context }) => context.settings.openMs,
  },
  actions: {
    adapt: assign(({ context, event }) => {
      const next = adapted(context, event);
      return {
        limit: next.limit,
        slots: Math.floor(next.limit),
        baselineMs: next.baselineMs,
        decreasedAt: next.decreasedAt,
        consecutiveFailures: succeeded(event) ? 0 : context.consecutiveFailures + 1,
      };
    }),
    trip: assign(({ context, event }) => ({
      limit: 0,
      slots: 0,
      consecutiveFailures: 0,
      probeSuccesses: 0,
      openedAt: timeOf(context, event),
    })),
    probe: assign({ limit: 1, slots: 1, probeSuccesses: 0 }),
    countProbe: assign(({ context, event }) => ({
      probeSuccesses: context.probeSuccesses + 1,
      baselineMs: baselineAfter(context, event),
    })),
    /** Closed again from one slot: the agent earns its concurrency back by additive increase. */
    close: assign(({ context, event }) => ({
      limit: 1,
      slots: 1,
      probeSuccesses: 0,
      baselineMs: baselineAfter(context, event),
    })),
    restore: assign(({ context }) =>
      limiterContextOf({
        agentId: context.agentId,
        concurrency: context.concurrency,
        options: { ...context.settings, initialLimit: context.initialLimit },
      }),
    ),
    announce: emit(({ context, event }, params: { breaker: BreakerState }) => ({
      type: 'limit.changed' as const,
      agentId: context.agentId,
      limit: context.slots,
      breaker: params.breaker,
      at: timeOf(context, event),
    })),
  },
}).createMachine({
  id: 'agentLimiter',
  context: ({ input }) => limiterContextOf(input),
  initial: 'closed',
  states: {
    closed: {
      on: {
        'attempt.ended': [
          { guard: 'opensBreaker', target: 'open' },
          {
            guard: 'changesSlots',
            actions: ['adapt', { type: 'announce', params: { breaker: 'closed' } }],
          },
          { actions: 'adapt' },
        ],
        reset: [
          {
            guard: 'resetChangesSlots',
            actions: ['restore', { type: 'announce', params: { breaker: 'closed' } }],
          },
          { actions: 'restore' },
        ],
      },
    },
    // Attempts that end while open were dispatched before it opened: they teach nothing.
    open: {
      entry: ['trip', { type: 'announce', params: { breaker: 'open' } }],
      after: { openMs: { target: 'halfOpen' } },
      on: {
        reset: {
          target: 'closed',
          actions: ['restore', { type: 'announce', params: { breaker: 'closed' } }],
        },
      },
    },
    halfOpen: {
      entry: ['probe', { type: 'announce', params: { breaker: 'half-open' } }],
      on: {
        'attempt.ended': [
          { guard: 'failed', target: 'open' },
          {
            guard: 'probesPassed',
            target: 'closed',
            actions: ['close', { type: 'announce', params: { breaker: 'closed' } }],
          },
          { actions: 'countProbe' },
        ],
        reset: {
          target: 'closed',
          actions: ['restore', { type: 'announce', params: { breaker: 'closed' } }],
        },
      },
    },
  },
});

export type AgentLimiterMachine = typeof agentLimiterMachine;
