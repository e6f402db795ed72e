// `overseer run <workload>`: runs a workload file in a simulation and prints its outcome.
// Exit 0 when failures stay within the workload's tolerance, 1 beyond it.
import { historyFacts, runSummary } from '../demo/run-summary.js';
import { formatTable, summaryRows } from '../demo/summary-table.js';
import type { Logger } from '../observability/logger.js';
import { checkSimulation } from '../testing/index.js';
import { simulate } from '../testing/simulate.js';
import { readWorkload, simulationOf } from './workload-file.js';

export async function runCommand(
  path: string,
  json: boolean,
  out: (line: string) => void,
  logger?: Logger,
): Promise<number> {
  const workload = readWorkload(path);
  const simulation = simulationOf(workload);
  const options = logger ? { ...simulation, system: { ...simulation.system, logger } } : simulation;
  const result = await simulate(options);
  const violations = checkSimulation(result, options);
  const summary = runSummary({
    stats: result.system.stats(),
    submitted: result.accepted.length + result.rejected.length,
    rejected: result.rejected.length,
    ...historyFacts(result.history),
    simulatedTimeMs: result.endedAtMs,
    invariantViolations: violations.length,
    classes: result.system.metrics().qos,
  });
  if (json) out(JSON.stringify(summary));
  else out(formatTable(summaryRows(summary)));
  for (const v of violations) out(`invariant ${v.invariant} (${v.name}) violated: ${v.message}`);
  await result.system.stop({ timeoutMs: 0 });
  return summary.failed > workload.tolerance.maxFailed || violations.length > 0 ? 1 : 0;
}
