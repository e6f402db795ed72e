// The supervisor's side of the example cluster (`overseer supervise --agents` this file):
// which agents the cluster has and where they run. Both run on the nodes.
import type { AgentDeclaration, SystemOptions } from 'overseer';

export const agents: AgentDeclaration[] = [
  { id: 'thumbnail', runs: 'remote', capabilities: ['image'], concurrency: 8 },
  { id: 'transcode', runs: 'remote', capabilities: ['video'], concurrency: 2 },
];

export const system: Omit<SystemOptions, 'store' | 'agents'> = {
  retry: {
    maxAttempts: 5,
    backoff: { kind: 'exponential', initialDelayMs: 100, maxDelayMs: 2_000 },
  },
};
