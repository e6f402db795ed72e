// `overseer node --db <url> --agents <module>`: a process hosting remote agents for the
// cluster whose store is at <url>, until SIGTERM or SIGINT, which drain it: it takes no new
// agents and leaves once its agents finished what they run.
import { type AgentNode, startNode } from '../cluster/agent-node.js';
import type { NodePlacement } from '../isolation/agent-channel.js';
import type { Logger } from '../observability/logger.js';

export interface NodeFlags {
  readonly db: string;
  readonly agents: string;
  readonly schema: string;
  readonly runs: NodePlacement;
  /** The CLI's structured logger (--log-level); the node's warnings are printed as well. */
  readonly logger?: Logger;
}

export async function nodeCommand(flags: NodeFlags, out: (line: string) => void): Promise<number> {
  let node: AgentNode;
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
    node = await startNode({ ...flags, logger });
  } catch (error) {
    out(`error: ${(error as Error).message}`);
    return 2;
  }
  out(`${node.nodeId} offers ${node.offers.join(', ') || 'no agents'} (each in a ${flags.runs})`);
  await new Promise<void>((resolve) => {
    const drain = (signal: string) => {
      out(`${signal}: draining ${node.running().length} agent(s)`);
      node.drain().then(resolve, resolve);
    };
    process.once('SIGTERM', () => drain('SIGTERM'));
    process.once('SIGINT', () => drain('SIGINT'));
  });
  out(`${node.nodeId} left the cluster`);
  return 0;
}
