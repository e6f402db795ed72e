import { describe, expect, it } from 'vitest';
import type { AgentRegistry } from '../../src/agents/agent-registry.js';
import { EventStream } from '../../src/core/event-stream.js';
import { watchAgentLimits } from '../../src/observability/agent-limits.js';

/** A registry of agents with these declared concurrencies (undefined: the default, 1). */
function registry(concurrency: Record<string, number | undefined>) {
  const agents = Object.entries(concurrency).map(([agentId, n]) => ({
    agentId,
    plan: { declaration: n === undefined ? {} : { concurrency: n } },
  }));
  return { all: () => agents.values() } as unknown as AgentRegistry;
}

describe('agent limits in system.metrics()', () => {
  it('reports the declared concurrency and a closed breaker until the limiter says otherwise', () => {
    const events = new EventStream();
    const limits = watchAgentLimits(events, registry({ gpu: 4, cpu: undefined }));
    expect(limits.snapshot()).toEqual({
      gpu: { limit: 4, breaker: 'closed' },
      cpu: { limit: 1, breaker: 'closed' },
    });
    events.publish({ type: 'agent.limit', agentId: 'gpu', limit: 2, breaker: 'closed', at: 10 });
    events.publish({ type: 'agent.limit', agentId: 'gpu', limit: 0, breaker: 'open', at: 20 });
    expect(limits.snapshot().gpu).toEqual({ limit: 0, breaker: 'open' });
    events.publish({ type: 'agent.limit', agentId: 'gpu', limit: 1, breaker: 'half-open', at: 30 });
    expect(limits.snapshot().gpu).toEqual({ limit: 1, breaker: 'half-open' });
  });

  it('forgets what a removed agent reported', () => {
    const events = new EventStream();
    const limits = watchAgentLimits(events, registry({ gpu: 4 }));
    events.publish({ type: 'agent.limit', agentId: 'gpu', limit: 0, breaker: 'open', at: 10 });
    events.publish({ type: 'agent.removed', agentId: 'gpu', reason: 'drained', at: 20 });
    expect(limits.snapshot().gpu).toEqual({ limit: 4, breaker: 'closed' });
  });
});
