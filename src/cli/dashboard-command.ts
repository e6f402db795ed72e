// `overseer dashboard`: the demo workload (paced so it can be watched) or a workload file,
// with the live dashboard served on it; prints the page's address and serves until Ctrl-C
// (or, with --no-wait, until the run ends). With --token the page's actions are enabled.
import type { OverseerEvent } from '../core/system-events.js';
import { serveClusterDashboard } from '../dashboard/cluster-dashboard.js';
import { type Dashboard, openDashboard } from '../dashboard/dashboard-server.js';
import { runDemo } from '../demo/demo-workload.js';
import { demoSummary } from '../demo/run-summary.js';
import { DEMO_ROWS, formatTable, summaryRows } from '../demo/summary-table.js';
import { StoreOpenFailed } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { simulate } from '../testing/simulate.js';
import { readWorkload, simulationOf } from './workload-file.js';

export interface DashboardFlags {
  readonly tasks: number;
  readonly agents: number;
  readonly failureRate: number;
  readonly seed: number;
  /** Run this workload file instead of the demo. */
  readonly workload?: string;
  /** Serve a read-only view of the PostgreSQL cluster whose store is here instead. */
  readonly db?: string;
  /** The cluster store's schema. Default `overseer`. */
  readonly schema?: string;
  readonly port: number;
  readonly host: string;
  /** Enables the actions for requests that carry it as a bearer token. */
  readonly token?: string;
  /** Real ms per 10 ms of simulated time (the demo). */
  readonly pace: number;
  readonly hungAgent: 'inline' | 'thread';
  /** After the run, serve until Ctrl-C. */
  readonly wait: boolean;
  readonly logger?: Logger;
}

/** Resolves on the first Ctrl-C. */
const interrupted = () => new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));

export async function dashboardCommand(
  flags: DashboardFlags,
  out: (line: string) => void,
  stopped: () => Promise<void> = interrupted,
): Promise<number> {
  const serving = {
    port: flags.port,
    host: flags.host,
    ...(flags.token ? { token: flags.token } : {}),
  };
  let dashboard: Dashboard | undefined;
  const announce = (d: Dashboard) => {
    dashboard = d;
    out(
      `dashboard on ${d.url}${flags.token ? `#token=${encodeURIComponent(flags.token)}` : ' (read-only: start with --token to enable actions)'}`,
    );
  };
  if (flags.db) return clusterDashboard(flags, out, stopped);
  let system: OverseerSystem;
  let failed: number;
  if (flags.workload) {
    const workload = readWorkload(flags.workload);
    const result = await simulate(simulationOf(workload));
    system = result.system;
    announce(await openDashboard(system, serving, result.history));
    failed = system.stats().tasks.failed;
    out(`workload ${flags.workload} ran to ${result.endedAtMs} ms of simulated time`);
  } else {
    // Events until the first tick, when the system is at hand, are handed to the dashboard.
    const earlier: OverseerEvent[] = [];
    let opening: Promise<void> | undefined;
    const result = await runDemo(
      {
        tasks: flags.tasks,
        agents: flags.agents,
        failureRate: flags.failureRate,
        seed: flags.seed,
        paceMs: flags.pace,
        hungAgent: flags.hungAgent,
        ...(flags.logger ? { observe: { logger: flags.logger } } : {}),
      },
      (running) => {
        opening ??= openDashboard(running, serving, earlier).then(announce);
      },
      (event) => {
        if (!opening) earlier.push(event);
      },
    );
    await opening;
    system = result.system;
    const summary = demoSummary(result, flags.tasks);
    out(formatTable(summaryRows(summary, DEMO_ROWS)));
    failed = summary.failed - summary.deadlineExceeded;
  }
  if (flags.wait) {
    out('run finished; the dashboard stays up until Ctrl-C');
    await stopped();
  }
  await dashboard?.close();
  await system.stop({ timeoutMs: 0 });
  return failed > 0 ? 1 : 0;
}

/** `--db`: the cluster's read-only dashboard, from its store; 2 when the store cannot be read. */
async function clusterDashboard(
  flags: DashboardFlags,
  out: (line: string) => void,
  stopped: () => Promise<void>,
): Promise<number> {
  let dashboard: Dashboard;
  try {
    dashboard = await serveClusterDashboard(flags.db ?? '', {
      port: flags.port,
      host: flags.host,
      ...(flags.schema ? { schema: flags.schema } : {}),
    });
  } catch (error) {
    if (!(error instanceof StoreOpenFailed)) throw error;
    out(`error: ${error.message}`);
    return 2;
  }
  out(`dashboard of the cluster on ${dashboard.url} (read-only)`);
  await stopped();
  await dashboard.close();
  return 0;
}
