// Each agent's adaptive limit and circuit breaker in `system.metrics().agentLimits`: what
// its last `agent.limit` event said, or its declared concurrency and a closed breaker
// before any. Kept per agent of the registry; an agent's entry goes when it is removed.
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { EventStream } from '../core/event-stream.js';

/** One agent's limit in `system.metrics().agentLimits`. */
export interface AgentLimit {
  /** Slots it may hold now: its declared concurrency until its limiter says otherwise; 0 while its breaker is open. */
  readonly limit: number;
  readonly breaker: 'closed' | 'open' | 'half-open';
}

export interface AgentLimits {
  /** Every agent the registry knows, by id. */
  snapshot(): Record<string, AgentLimit>;
}

export function watchAgentLimits(events: EventStream, agents: AgentRegistry): AgentLimits {
  const reported = new Map<string, AgentLimit>();
  events.on('agent.limit', ({ agentId, limit, breaker }) =>
    reported.set(agentId, { limit, breaker }),
  );
  events.on('agent.removed', ({ agentId }) => reported.delete(agentId));
  return {
    snapshot() {
      const out: Record<string, AgentLimit> = {};
      for (const agent of agents.all())
        out[agent.agentId] = reported.get(agent.agentId) ?? {
          limit: agent.plan.declaration.concurrency ?? 1,
          breaker: 'closed',
        };
      return out;
    },
  };
}
