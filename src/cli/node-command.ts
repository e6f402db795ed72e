// `overseer node --db <url> --agents <module>`: a process hosting remote agents for the
// cluster whose store is at <url>, until SIGTERM or SIGINT, which drain it: it takes no new
// agents and leaves once its agents finished what they run.
import { type AgentNode, startNode } from '../cluster/agent-node.js';
import type { NodePlacement } from '../isolation/agent-channel.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsEndpoint } from './metrics-endpoint.js';
import { nodeMetrics } from './node-metrics.js';

export interface NodeFlags {
  readonly db: string;
  readonly agents: string;
  readonly schema: string;
  readonly runs: NodePlacement;
  /** Serve Prometheus metrics on this port (0: any free one); none when absent. */
  readonly metricsPort?: number;
  /** The address the metrics listen on. Default 127.0.0.1 (other than loopback exposes them). */
  readonly metricsHost?: string;
  /** The CLI's structured logger (--log-level); the node's warnings are printed as well. */
  readonly logger?: Logger;
}

export async function nodeCommand(flags: NodeFlags, out: (line: string) => void): Promise<number> {
  let node: AgentNode;
  let metrics: MetricsEndpoint | undefined;
  try {
    // What the node warns of (a placement it leaves to nodes of another version) is printed
    // beside its other lines: an operator must see it whatever the log level.
    const logs = flags.logger;
    const logger: Logger = {
      debug: (fields, message) => logs?.debug(fields, message),
      info: (fields, message) => logs?.info(fields, message),
      warn: (fields, message) => {
        out(`warning: ${message ?? ''}`);
        logs?.warn(fields, message);
      },
      error: (fields, message) => logs?.error(fields, message),
    };
    const { metricsPort, metricsHost, ...options } = flags;
    node = await startNode({ ...options, logger });
    if (metricsPort !== undefined) {
      metrics = await nodeMetrics(node, { metricsPort, metricsHost }).catch(async (error) => {
        await node.close();
        throw error;
      });
    }
  } catch (error) {
    out(`error: ${(error as Error).message}`);
    return 2;
  }
  if (metrics) out(`metrics at ${metrics.url}`);
  out(`${node.nodeId} offers ${node.offers.join(', ') || 'no agents'} (each in a ${flags.runs})`);
  await new Promise<void>((resolve) => {
    const drain = (signal: string) => {
      out(`${signal}: draining ${node.running().length} agent(s)`);
      node.drain().then(resolve, resolve);
    };
    process.once('SIGTERM', () => drain('SIGTERM'));
    process.once('SIGINT', () => drain('SIGINT'));
  });
  await metrics?.close();
  out(`${node.nodeId} left the cluster`);
  return 0;
}
