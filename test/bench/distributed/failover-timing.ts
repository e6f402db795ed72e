// How long a cluster is without a leader: a supervisor leads and one stands by (`overseer
// supervise`, lease 1 s, as processes on the example cluster of docs/distributed.md); the
// leader is SIGKILLed, and two times are noted, `kills` times (each new leader killed in turn
// after a standby has started again and settled): until the standby says it leads (it holds
// the lease), and until it serves (it has rebuilt its system from the store and takes work).
// `finished`: that many finished tasks put in the store first (run by a system in this
// process), which every takeover reads back.
import { fileURLToPath } from 'node:url';
import { Cluster } from '../../cluster/cluster-processes.js';
import { finishTasks } from '../../support/finished-tasks.js';
import { type Sample, summarize } from '../harness.js';

const example = (name: string) =>
  fileURLToPath(new URL(`../../../docs/examples/cluster/${name}`, import.meta.url));

export interface Failover {
  /** From SIGKILL until the standby holds the lease, ms. */
  readonly leads: Sample;
  /** From SIGKILL until it has rebuilt from the store and takes work, ms. */
  readonly serves: Sample;
}

export async function failoverTiming(url: string, kills: number, finished = 0): Promise<Failover> {
  if (finished > 0) await finishTasks(url, finished);
  const cluster = new Cluster(url, example('cluster.ts'), example('agents.ts'));
  try {
    cluster.supervisor();
    let leader = await cluster.serving();
    cluster.supervisor();
    const leads: number[] = [];
    const serves: number[] = [];
    for (let i = 0; i < kills; i++) {
      // The standby started again after the last kill: let it reach its standby loop.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const killedAt = performance.now();
      leader.kill('SIGKILL');
      await cluster.leading(leader);
      leads.push(performance.now() - killedAt);
      leader = await cluster.serving(leader);
      serves.push(performance.now() - killedAt);
    }
    return { leads: summarize(leads), serves: summarize(serves) };
  } finally {
    await cluster.stop();
  }
}
