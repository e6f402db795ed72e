// overseer/testing: deterministic simulation with fault injection, and history checkers
// for the invariants of DESIGN.md, for testing overseer and the agents you write.
import { type CheckOptions, checkHistory } from './checks/index.js';
import type { SimulationOptions, SimulationResult } from './simulate.js';

export { seededRandom } from '../../machines/seeded-random.js';
export type { CheckContext, CheckOptions, HistoryCheck, Violation } from './checks/index.js';
export { checkHistory, invariantChecks } from './checks/index.js';
export type { FaultPlan, FaultRates, HandlerFault, ScheduledFault } from './fault-plan.js';
export { drawFault } from './fault-plan.js';
export type { SimAgent, SimSupervisor, SimulationOptions, SimulationResult } from './simulate.js';
export { nextTimerAt, simulate } from './simulate.js';

/** Checks a simulation's history against every invariant, with the context it ran in. */
export function checkSimulation(
  result: SimulationResult,
  options: SimulationOptions,
  only?: Parameters<typeof checkHistory>[2],
) {
  const system = options.system ?? {};
  const context: CheckOptions = {
    accepted: result.accepted,
    quiescent: result.quiescent,
    rejected: result.rejected,
    // QoS classes order by fair share and due time, not by priority alone.
    strictPriority:
      (system.order ?? 'priority') === 'priority' &&
      system.agingMs === undefined &&
      system.qos === undefined,
    heartbeatTimeoutMs: system.heartbeatTimeoutMs ?? 5_000,
    intensity: system.intensity ?? { maxRestarts: 10, periodMs: 10_000 },
  };
  return checkHistory(result.history, context, only);
}
