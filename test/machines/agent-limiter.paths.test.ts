import { describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import {
  type AgentLimiterEvent,
  type AgentLimiterMachine,
  agentLimiterMachine,
} from '../../machines/agent-limiter.js';
import { exploreMachine } from './path-coverage.js';

// The model's context must be finite and serialized whole, or a path could reach a state
// that serializes alike but behaves otherwise. So: two slots at most (the limit is 1 or 2),
// one time for every event, a baseline that slower successes do not raise (alpha 0) and
// that is 0 ms once set. Outcomes: fast success; slow success (offered once there is a
// baseline: the first success sets it); failure; failure dispatched 50 ms earlier (after a
// decrease, the same congestion: not counted again). The half-open timer is fired by the clock.
const AT = 1_000;
const events = (snapshot: SnapshotFrom<AgentLimiterMachine>): AgentLimiterEvent[] => [
  { type: 'attempt.ended', ok: true, latencyMs: 0, at: AT },
  ...(snapshot.context.baselineMs === null
    ? []
    : [{ type: 'attempt.ended', ok: true, latencyMs: 100, at: AT } as const]),
  { type: 'attempt.ended', ok: false, latencyMs: 0, at: AT },
  { type: 'attempt.ended', ok: false, latencyMs: 50, at: AT },
  { type: 'reset', at: AT },
  { type: 'xstate.after.openMs.agentLimiter.open' } as unknown as AgentLimiterEvent,
];

describe('agent limiter machine paths', () => {
  it('reaches every state and takes every transition on paths replayed under a simulated clock', () => {
    const coverage = exploreMachine({
      machine: agentLimiterMachine,
      input: {
        agentId: 'a1',
        concurrency: 2,
        options: {
          initialLimit: 1,
          baselineAlpha: 0,
          failureThreshold: 2,
          probes: 2,
          openMs: 1_000,
        },
      },
      events,
      serialize: (s) => {
        const { limit, consecutiveFailures, probeSuccesses, baselineMs, decreasedAt } = s.context;
        return JSON.stringify([
          s.value,
          limit,
          consecutiveFailures,
          probeSuccesses,
          baselineMs,
          decreasedAt,
          s.context.openedAt,
        ]);
      },
    });
    expect(coverage.mismatches).toEqual([]);
    expect(coverage.states.missed).toEqual([]);
    expect(coverage.transitions.missed).toEqual([]);
    expect(coverage.transitions.total).toBe(11);
  });
});
