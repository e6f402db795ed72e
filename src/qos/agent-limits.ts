// Adaptive concurrency and circuit breaking per agent: one limiter machine per agent
// (machines/agent-limiter.ts), compiled and run on the system's clock, hears every attempt
// that ends on the agent (success or failure, and its run time) and decides how many slots
// the agent may fill; the scheduler is told, each change is published as `agent.limit`, and
// a raised limit (a breaker half-opening after its cool-down) lets the agent take work
// again. A limiter outlives its agent's restarts: a restart does not reset a tripped breaker.
import {
  type AgentLimiterOptions,
  agentLimiterMachine,
  type LimitChanged,
} from '../../machines/agent-limiter.js';
import { CompiledActor } from '../compiled/compiled-actor.js';
import { type CompiledMachine, compileMachine } from '../compiled/compiled-machine.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';

export interface AgentLimitsSettings {
  readonly options: AgentLimiterOptions;
  readonly clock: SystemClock;
  readonly events: EventStream;
  /** The agent may fill `limit` slots from now on. */
  apply(agentId: string, limit: number): void;
  /** The agent's limit rose: it may take queued work now. */
  raised(agentId: string): void;
}

export class AgentLimits {
  readonly #logic: CompiledMachine;
  readonly #limiters = new Map<string, { actor: CompiledActor; limit: number }>();

  constructor(private readonly s: AgentLimitsSettings) {
    this.#logic = compileMachine(agentLimiterMachine);
  }

  /** The agent is online with `concurrency` slots: its limiter's current limit applies. */
  online(agentId: string, concurrency: number): void {
    let limiter = this.#limiters.get(agentId);
    if (!limiter) {
      const actor = new CompiledActor(this.#logic, {
        id: `limiter:${agentId}`,
        input: { agentId, concurrency, options: this.s.options },
        clock: this.s.clock,
      });
      const created = { actor, limit: concurrency };
      limiter = created;
      actor.on('limit.changed', (e) => this.#changed(created, e as unknown as LimitChanged));
      actor.start();
      const initial = (actor.getSnapshot().context as { slots: number }).slots;
      created.limit = initial;
      this.#limiters.set(agentId, created);
    }
    this.s.apply(agentId, limiter.limit);
  }

  /** An attempt on the agent ended: `ok` when it produced output, after `runMs`. */
  ended(agentId: string, ok: boolean, runMs: number): void {
    this.#limiters
      .get(agentId)
      ?.actor.send({ type: 'attempt.ended', ok, latencyMs: runMs, at: this.s.clock.now() });
  }

  /** Each agent's limit now (for metrics and tests). */
  limits(): ReadonlyMap<string, number> {
    return new Map([...this.#limiters].map(([id, l]) => [id, l.limit]));
  }

  stop(): void {
    for (const { actor } of this.#limiters.values()) actor.stop();
  }

  #changed(limiter: { limit: number }, e: LimitChanged): void {
    const rose = e.limit > limiter.limit;
    limiter.limit = e.limit;
    this.s.apply(e.agentId, e.limit);
    this.s.events.publish({
      type: 'agent.limit',
      agentId: e.agentId,
      limit: e.limit,
      breaker: e.breaker,
      at: e.at,
    });
    if (rose) this.s.raised(e.agentId);
  }
}
