// The supervisor's side of the client-path probe (`overseer supervise --agents` this file):
// the distributed row's `noop` agent, 2 replicas of concurrency 50 on the nodes.
import type { AgentDeclaration, SystemOptions } from '../../../../src/index.js';

export const agents: AgentDeclaration[] = [
  { id: 'noop', runs: 'remote', capabilities: ['noop'], replicas: 2, concurrency: 50 },
];

export const system: Omit<SystemOptions, 'store' | 'agents'> = { queueCapacity: 1_000_000 };
