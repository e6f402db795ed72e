// A connection that breaks while the store holds it (a database restart, a backend ended by
// an operator) must cost a retry, never the process: `pg` reports the break as an 'error'
// event on the checked-out client, which ends the process when nobody listens to it.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { checkOut } from '../../src/store/postgres/checked-out.js';
import { BulkWrites } from '../../src/store/postgres/postgres-bulk.js';
import { tableNamer } from '../../src/store/postgres/postgres-schema.js';
import type { Stored, TaskLifecycleRecord } from '../../src/store/store-records.js';
import { moved, submitted, tempDir } from './fixtures.js';

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

  it('costs the store a resent batch: what it acknowledged is in the database, once', async () => {
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
      for (let i = 0; i < 20; i++) {
        store.appendTask(submitted(`t${round}-${i}`, round));
        // The task before it moves on: a history line appended to a row the database has.
        if (round > 0) store.appendTask(moved(`t${round - 1}-${i}`, 'running', 1, round, 'w'));
      }
      // Every connection the store has is ended while this turn's batch is under way.
      const flushed = store.flush();
      await terminate(url, await backends());
      await flushed;
    }
    const reopened = await dir.postgres({ schema: 'broken' });
    const tasks = reopened.load(10).tasks;
    expect(tasks).toHaveLength(100);
    // A batch sent again appended nothing twice: each history is what the writer holds.
    for (const { taskId } of tasks) expect(reopened.history(taskId)).toEqual(store.history(taskId));
    await store.close();
  });
});

describe('a batch sent twice', () => {
  it('appends a task’s history once (history_seq), as after a commit whose answer was lost', async () => {
    const url = await dir.postgresUrl();
    const store = await dir.postgres({ schema: 'twice' });
    store.appendTask(submitted('a', 1));
    await store.flush();
    // The batch that moves a on, as the store would write it, run twice.
    const mirror = new MemoryStore();
    mirror.appendTask(submitted('a', 1));
    mirror.appendTask(moved('a', 'running', 1, 2, 'w'));
    const latest = mirror.latest('a');
    if (!latest) throw new Error('no record');
    const bulk = new BulkWrites();
    bulk.task('a', { seq: latest.seq, status: latest.status });
    const { seq, v, ...body } = mirror.history('a').at(-1) as Stored<TaskLifecycleRecord>;
    expect(seq).toBe(latest.recordSeq);
    bulk.record(seq, 'a', body.kind, v, JSON.stringify(body));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (let sent = 0; sent < 2; sent++)
        for (const op of bulk.statements(tableNamer('twice'), 'unheard'))
          await client.query(op.text, op.values as unknown[]);
    } finally {
      await client.end();
    }
    const reopened = await dir.postgres({ schema: 'twice' });
    expect(reopened.history('a')).toEqual(mirror.history('a'));
  });
});
