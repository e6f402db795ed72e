// Generated cases for the agent limiter: inputs with small thresholds, probe counts and
// open times (zero included), and sequences of ended attempts (fast, slow, failed, some
// dispatched before the last decrease) and resets, between advances around `openMs`.
import fc from 'fast-check';
import type { AgentLimiterEvent, AgentLimiterInput } from '../../machines/agent-limiter.js';
import { advance, anyEvent, atOffset, type EventArbitraries, steps } from './case-steps.js';

export const agentLimiterInput: fc.Arbitrary<AgentLimiterInput> = fc.record(
  {
    agentId: fc.constant('a1'),
    concurrency: fc.integer({ min: 1, max: 6 }),
    options: fc.record(
      {
        initialLimit: fc.integer({ min: 1, max: 6 }),
        latencyToleranceRatio: fc.constantFrom(1.5, 2, 3),
        baselineAlpha: fc.constantFrom(0, 0.05, 0.5),
        decreaseFactor: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        increase: fc.constantFrom(0.5, 1, 2),
        failureThreshold: fc.integer({ min: 1, max: 4 }),
        openMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
        probes: fc.integer({ min: 1, max: 3 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['agentId', 'concurrency'] },
);

export const agentLimiterEvents: EventArbitraries<AgentLimiterEvent> = {
  'attempt.ended': fc.record({
    type: fc.constant('attempt.ended'),
    ok: fc.boolean(),
    latencyMs: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 100, max: 600 })),
    at: atOffset,
  }),
  reset: fc.record({ type: fc.constant('reset'), at: atOffset }),
};

export const agentLimiterCase = (maxLength: number) =>
  agentLimiterInput.chain((input) =>
    steps(
      anyEvent(agentLimiterEvents, { 'attempt.ended': 12 }),
      advance([input.options?.openMs ?? 5_000]),
      {
        maxLength,
        advanceWeight: 4,
      },
    ).map((s) => ({ input, steps: s })),
  );
