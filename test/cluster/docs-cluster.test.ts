// docs/distributed.md's cluster, as its instructions run it: a supervisor, a standby and a
// node as processes (`overseer supervise`, `overseer node`), and the example client.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/postgres.js';
import { Cluster } from './cluster-processes.js';

const example = (name: string) =>
  fileURLToPath(new URL(`../../docs/examples/cluster/${name}`, import.meta.url));

describe('docs/examples/cluster', () => {
  const database = freshDatabase();
  afterAll(async () => (await database).drop());

  it('runs 200 tasks from a client on a supervisor, a standby and a node', async () => {
    const { url } = await database;
    const cluster = new Cluster(url, example('cluster.ts'), example('agents.ts'));
    try {
      cluster.supervisor();
      await cluster.leading();
      cluster.supervisor();
      cluster.node();
      process.env.OVERSEER_DB = url;
      const client = await import('../../docs/examples/cluster/client.js');
      expect(client.completed).toBe(200);
      expect(client.nodes).toBe(1); // one node, its agents in threads
      expect(client.firstState).toBe('completed');
      expect(client.batchDone).toBe(3);
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});
