// A leader that takes over a large store keeps its lease while it rebuilds. With a store of
// tens of thousands of finished tasks (the default retainFinished keeps 100,000) and a 1 s
// lease, reading it in one go kept the event loop past the lease: each new leader missed its
// renewals and lost the lease to the standby, which did the same, and no leader ever served.
// Here the first leader must rebuild, serve a client's task, and still hold epoch 1.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { finishTasks } from '../support/finished-tasks.js';
import { freshDatabase } from '../support/postgres.js';
import { Cluster } from './cluster-processes.js';

const example = (name: string) =>
  fileURLToPath(new URL(`../../docs/examples/cluster/${name}`, import.meta.url));

/** Enough finished tasks that reading them in one go keeps the loop well past 2/3 of 1 s. */
const FINISHED = 40_000;

describe('taking over a large store', () => {
  const database = freshDatabase();
  afterAll(async () => (await database).drop());

  it(`keeps the lease while it rebuilds ${FINISHED.toLocaleString('en')} finished tasks, and serves`, async () => {
    const { url } = await database;
    await finishTasks(url, FINISHED);
    const cluster = new Cluster(url, example('cluster.ts'), example('agents.ts'));
    const client = await connectCluster(url, { pollMs: 50 });
    try {
      cluster.supervisor();
      cluster.supervisor();
      await cluster.serving();
      cluster.node();
      const task = await client.submit({
        type: 'thumbnail',
        capabilities: ['image'],
        input: { image: 'large.png' },
      });
      expect(await task.result()).toMatchObject({ thumbnail: 'large.png.thumb.png' });
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const { rows } = await db.query('SELECT epoch FROM overseer.leader');
      await db.end();
      // The first leader still leads: nobody took the lease from it while it rebuilt.
      expect(rows).toEqual([{ epoch: '1' }]);
      expect(cluster.log.join('')).not.toContain('stepping down');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cluster.log.join('')}`, { cause: error });
    } finally {
      await client.close();
      await cluster.stop();
    }
  }, 90_000);
});
