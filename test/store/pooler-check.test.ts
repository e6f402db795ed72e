// A transaction-mode pooler between overseer and PostgreSQL is refused at open, by name:
// two of its connections served by one backend at once. The pooler is played by a pool
// whose connections report backend pids as such a pooler would (the one last let go goes
// to the next query); directly on the server, every entry point opens as before. By hand,
// through PgBouncer 1.18 on this machine: `pool_mode = transaction` refused, `session` runs
// the cluster tests.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startNode } from '../../src/cluster/agent-node.js';
import { lead } from '../../src/cluster/leadership.js';
import { connectCluster, PoolerUnsupported, postgresStore } from '../../src/index.js';
import { refuseTransactionPooler } from '../../src/store/postgres/pooler-check.js';
import { tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/**
 * A stand-in for pg.Pool: `shared`, behind a transaction pooler with one idle backend (pid
 * 7), which every query is lent in turn; otherwise each connection has a backend of its own.
 */
function pooled(shared: boolean, max = 4): pg.Pool {
  let next = 100;
  const pool = {
    options: { max },
    async connect() {
      const own = next++;
      return {
        on: () => undefined,
        removeListener: () => undefined,
        release: () => undefined,
        query: async () => ({ rows: [{ pid: shared ? 7 : own }] }),
      };
    },
  };
  return pool as unknown as pg.Pool;
}

describe('a transaction-mode pooler', () => {
  it('is refused, naming the database, the backend both connections got, and what to do', async () => {
    const refused = await refuseTransactionPooler(pooled(true), 'db.example#overseer').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PoolerUnsupported);
    expect(refused).toMatchObject({ code: 'PoolerUnsupported', backendPid: 7 });
    expect((refused as Error).message).toBe(
      "db.example#overseer is reached through a transaction-mode connection pooler (two of overseer's " +
        "connections were served by one PostgreSQL backend, pid 7): overseer's prepared " +
        'statements and LISTEN wake-ups need a backend of their own per connection. Connect to ' +
        'PostgreSQL directly, or through a session-mode pool (PgBouncer `pool_mode = session`); ' +
        'see docs/distributed.md, "Connection poolers"',
    );
  });

  it('is no alarm for connections of their own, nor for a pool of one connection', async () => {
    await expect(refuseTransactionPooler(pooled(false), 'db')).resolves.toBeUndefined();
    await expect(refuseTransactionPooler(pooled(true, 1), 'db')).resolves.toBeUndefined();
  });

  it('lets every entry point open directly on the server (no false alarm)', async () => {
    const url = await dir.postgresUrl();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await expect(refuseTransactionPooler(pool, 'direct')).resolves.toBeUndefined();
    } finally {
      await pool.end();
    }
    const store = await postgresStore(url, { schema: 'direct' });
    const leadership = await lead({ db: url, schema: 'direct', leaseMs: 60_000 });
    const client = await connectCluster(url, { schema: 'direct' });
    const node = await startNode({
      db: url,
      schema: 'direct',
      agents: new URL('../cluster/fixtures/node-agents.ts', import.meta.url).pathname,
      runs: 'inline',
    });
    await node.close();
    await client.close();
    await leadership.release();
    await store.close();
  });
});
