// `overseer inspect`: the demo workload, paced in real time and connected to the Stately
// inspector. By default it starts @statelyai/inspect's local bridge (an HTTP page that
// embeds the inspector UI, plus a WebSocket relay) and opens it in the browser; with
// `--url` it connects to a WebSocket inspector server that is already running.
import { createInspectorServer } from '@statelyai/inspect/server';
import { runDemo } from '../demo/demo-workload.js';
import { demoSummary } from '../demo/run-summary.js';
import { DEMO_ROWS, formatTable, summaryRows } from '../demo/summary-table.js';
import { connectInspector } from '../observability/inspector-socket.js';
import type { Logger } from '../observability/logger.js';
import { ensurePortFree } from './port-check.js';

export interface InspectFlags {
  readonly tasks: number;
  readonly agents: number;
  readonly failureRate: number;
  readonly seed: number;
  /** Port of the local inspector bridge this command starts. */
  readonly port: number;
  /** Open the bridge page in the default browser. */
  readonly open: boolean;
  /** An inspector server to connect to instead of starting one. */
  readonly url?: string;
  /** Real milliseconds per 10 ms simulated tick. */
  readonly pace: number;
  /** After the run, keep the bridge up until Ctrl-C so the tree can be explored. */
  readonly wait: boolean;
  readonly logger?: Logger;
}

export async function inspectCommand(
  flags: InspectFlags,
  out: (line: string) => void,
): Promise<number> {
  if (!flags.url) await ensurePortFree(flags.port);
  const server = flags.url
    ? undefined
    : createInspectorServer({ port: flags.port, autoOpen: flags.open });
  const url = flags.url ?? `ws://localhost:${flags.port}`;
  try {
    const inspector = await connectInspector(url);
    if (server) out(`inspector bridge on http://localhost:${flags.port} (open it to watch)`);
    out(`sending inspection events to ${url}`);
    const result = await runDemo({
      tasks: flags.tasks,
      agents: flags.agents,
      failureRate: flags.failureRate,
      seed: flags.seed,
      paceMs: flags.pace,
      observe: {
        inspect: inspector.inspect,
        ...(flags.logger ? { logger: flags.logger } : {}),
      },
    });
    out(formatTable(summaryRows(demoSummary(result, flags.tasks), DEMO_ROWS)));
    await result.system.stop({ timeoutMs: 0 });
    await inspector.close();
    if (server && flags.wait) {
      out('run finished; the inspector bridge stays up until Ctrl-C');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    return result.system.stats().tasks.failed > 0 ? 1 : 0;
  } finally {
    server?.stop();
  }
}
