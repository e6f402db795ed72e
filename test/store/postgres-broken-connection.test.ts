// A connection that breaks while the store holds it (a database restart, a backend ended by
// an operator) must cost a retry, never the process: `pg` reports the break as an 'error'
// event on the checked-out client, which ends the process when nobody listens to it.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOut } from '../../src/store/postgres/checked-out.js';
import { submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** Ends the server processes of `pids` from a connection of its own. */
async function terminate(url: string, pids: readonly number[]): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  } finally {
    await admin.end();
  }
}

describe('a connection broken while checked out', () => {
  it('rejects its query and is destroyed, without an unhandled error event', async () => {
    const url = await dir.postgresUrl();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const taken = await checkOut(pool);
      const { rows } = await taken.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = (rows[0] as { pid: number }).pid;
      // The client is idle inside a transaction when its backend is ended, as a restart does.
      await taken.client.query('BEGIN');
      const ended = new Promise<void>((resolve) => taken.client.once('end', () => resolve()));
      await terminate(url, [pid]);
      await ended;
      await expect(taken.client.query('SELECT 1')).rejects.toThrow();
      taken.release();
      // The broken client left the pool: the next one is a new connection that works.
      const next = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(next.rows[0]?.pid).not.toBe(pid);
    } finally {
      await pool.end();
    }
  });

  it('costs the store a resent batch: what it acknowledged is in the database', async () => {
    const url = await dir.postgresUrl();
    const store = await dir.postgres({ schema: 'broken', retryForMs: 10_000 });
    const backends = async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return rows.map((r) => r.pid);
      } finally {
        await admin.end();
      }
    };
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) store.appendTask(submitted(`t${round}-${i}`, round));
      // Every connection the store has is ended while this turn's batch is under way.
      const flushed = store.flush();
      await terminate(url, await backends());
      await flushed;
    }
    const reopened = await dir.postgres({ schema: 'broken' });
    expect(reopened.load(10).tasks).toHaveLength(100);
    await store.close();
  });
});
