// `overseer node --db <url> --agents <module>`: a process hosting remote agents for the
// cluster whose store is at <url>, until SIGTERM or SIGINT, which drain it: it takes no new
// agents and leaves once its agents finished what they run.
import { type AgentNode, startNode } from '../cluster/agent-node.js';
import type { NodePlacement } from '../isolation/agent-channel.js';

export interface NodeFlags {
  readonly db: string;
  readonly agents: string;
  readonly schema: string;
  readonly runs: NodePlacement;
}

export async function nodeCommand(flags: NodeFlags, out: (line: string) => void): Promise<number> {
  let node: AgentNode;
  try {
    node = await startNode(flags);
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
