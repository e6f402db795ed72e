// The measured run times QoS predictions start from: a moving estimate per task type, and
// per task type on each agent (machines/service-estimate.ts). Bounded by the task types and
// agents a system has, not by its tasks.
import {
  expectedMs,
  NO_ESTIMATE,
  observed,
  preferred,
  type ServiceEstimate,
  typicalMs,
} from '../../machines/service-estimate.js';

export class ServiceTimes {
  readonly #byType = new Map<string, ServiceEstimate>();
  readonly #byTypeOnAgent = new Map<string, ServiceEstimate>();

  /** An attempt of a `type` task ran `ms` on the agent. */
  observe(type: string, agentId: string, ms: number): void {
    this.#byType.set(type, observed(this.#byType.get(type) ?? NO_ESTIMATE, ms));
    const key = `${type}\u0000${agentId}`;
    this.#byTypeOnAgent.set(key, observed(this.#byTypeOnAgent.get(key) ?? NO_ESTIMATE, ms));
  }

  /**
   * Expected run time of the type, ms (0 before it ever ran): what a queued one costs. The
   * lower of the lognormal expectation (steady after one rare slow run, which would swing a
   * plain moving mean for a long while) and the plain moving mean (right when runs are not
   * lognormal, e.g. split between a fast and a slow agent, where the lognormal one inflates).
   */
  meanMs(type: string): number {
    const estimate = this.#byType.get(type) ?? NO_ESTIMATE;
    return Math.min(expectedMs(estimate), estimate.meanMs);
  }

  /**
   * Typical (about median) run time of the type, ms; on `agentId` when that agent's own
   * estimate is trusted and shorter (a slow agent is its limiter's business: the task may
   * still finish in time elsewhere).
   */
  typicalMs(type: string, agentId?: string): number {
    const general = this.#byType.get(type) ?? NO_ESTIMATE;
    if (agentId === undefined) return typicalMs(general);
    const own = preferred(this.#byTypeOnAgent.get(`${type}\u0000${agentId}`), general);
    return Math.min(typicalMs(general), typicalMs(own));
  }

  /** Every type's estimate, for metrics and tests. */
  byType(): ReadonlyMap<string, ServiceEstimate> {
    return this.#byType;
  }
}
