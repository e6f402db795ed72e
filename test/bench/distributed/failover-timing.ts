// How long a cluster is without a leader: a supervisor leads and one stands by (`overseer
// supervise`, lease 1 s, as processes on the example cluster of docs/distributed.md); the
// leader is SIGKILLed, and the time until the standby says it leads is noted, `kills` times
// (each new leader killed in turn after a standby has started again and settled).
import { fileURLToPath } from 'node:url';
import { Cluster } from '../../cluster/cluster-processes.js';
import { type Sample, summarize } from '../harness.js';

const example = (name: string) =>
  fileURLToPath(new URL(`../../../docs/examples/cluster/${name}`, import.meta.url));

export async function failoverTiming(url: string, kills: number): Promise<Sample> {
  const cluster = new Cluster(url, example('cluster.ts'), example('agents.ts'));
  try {
    cluster.supervisor();
    let leader = await cluster.leading();
    cluster.supervisor();
    const times: number[] = [];
    for (let i = 0; i < kills; i++) {
      // The standby started again after the last kill: let it reach its standby loop.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const killedAt = performance.now();
      leader.kill('SIGKILL');
      leader = await cluster.leading(leader);
      times.push(performance.now() - killedAt);
    }
    return summarize(times);
  } finally {
    await cluster.stop();
  }
}
