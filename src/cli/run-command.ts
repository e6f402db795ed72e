// `overseer run <workload>`: runs a workload file in a simulation and prints its outcome.
// Exit 0 when failures stay within the workload's tolerance, 1 beyond it.
import { formatTable } from '../demo/summary-table.js';
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
  const { tasks, restarts } = result.system.stats();
  const violations = checkSimulation(result, options);
  const summary = {
    submitted: result.accepted.length,
    rejected: result.rejected.length,
    completed: tasks.completed,
    failed: tasks.failed,
    cancelled: tasks.cancelled,
    unfinished: result.accepted.length - tasks.completed - tasks.failed - tasks.cancelled,
    restarts,
    simulatedMs: result.endedAtMs,
    invariantViolations: violations.length,
  };
  if (json) out(JSON.stringify(summary));
  else out(formatTable(Object.entries(summary).map(([k, v]) => [k, String(v)])));
  for (const v of violations) out(`invariant ${v.invariant} (${v.name}) violated: ${v.message}`);
  await result.system.stop({ timeoutMs: 0 });
  return tasks.failed > workload.tolerance.maxFailed || violations.length > 0 ? 1 : 0;
}
