// A client's submits made together share one transaction (one INSERT, one wake-up for the
// leader), and each resolves only once its group committed; a group that fails rejects every
// submit in it, so nothing is reported submitted that is not in the database.
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { SubmissionWriter } from '../../src/cluster/submission-writer.js';
import { SUBMITTED_TOPIC, wakeChannel } from '../../src/store/postgres/notify-names.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

async function connected(url: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  return db;
}

describe("a cluster client's submissions", () => {
  it('share a transaction when made together, durable once each resolves, with one wake-up', async () => {
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema: 'grouped' });
    const db = await connected(url);
    const wakeUps: string[] = [];
    db.on('notification', (n) => wakeUps.push(n.channel));
    await db.query(`LISTEN ${wakeChannel('grouped', SUBMITTED_TOPIC)}`);
    try {
      const tasks = await Promise.all(
        Array.from({ length: 50 }, (_, i) => client.submit({ type: 'work', input: i })),
      );
      // Resolved: every one is in the database, seen from another connection.
      const { rows } = await db.query<{ task_id: string; at: Date }>(
        'SELECT task_id, submitted_at AS at FROM grouped.submissions ORDER BY seq',
      );
      expect(rows.map((r) => r.task_id)).toEqual(tasks.map((t) => t.id));
      // One transaction: they share its start time (now()).
      expect(new Set(rows.map((r) => r.at.getTime())).size).toBe(1);
      // A submit made on its own afterwards goes in a transaction of its own.
      await client.submit({ type: 'work', input: 'alone' });
      const times = await db.query('SELECT DISTINCT submitted_at FROM grouped.submissions');
      expect(times.rowCount).toBe(2);
      await db.query('SELECT 1'); // lets the notices that came in be delivered
      expect(wakeUps.length).toBe(2);
    } finally {
      await db.end();
      await client.close();
    }
  });

  it('reject together when their group cannot be written, and nothing of it is kept', async () => {
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema: 'refused' });
    const db = await connected(url);
    try {
      // A spec too long for the column's check makes the whole group's insert fail.
      await db.query(
        'ALTER TABLE refused.submissions ADD CONSTRAINT short CHECK (length(spec) < 200)',
      );
      const submits = [
        client.submit({ type: 'work', input: 'small' }),
        client.submit({ type: 'work', input: 'x'.repeat(300) }),
      ];
      const settled = await Promise.allSettled(submits);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
      const { rows } = await db.query('SELECT count(*)::int AS n FROM refused.submissions');
      expect(rows).toEqual([{ n: 0 }]);
      // The client goes on: the next submit that fits is written.
      await client.submit({ type: 'work', input: 'fits' });
      const after = await db.query('SELECT count(*)::int AS n FROM refused.submissions');
      expect(after.rows).toEqual([{ n: 1 }]);
    } finally {
      await db.end();
      await client.close();
    }
  });

  it('are written beside a group whose statement never answers, whose own submits wait on', async () => {
    vi.useFakeTimers();
    try {
      const sent: string[] = [];
      // The first statement never answers (a connection gone half-open); later ones do.
      const pool = {
        query(_text: string, values: [string]) {
          const ids = (JSON.parse(values[0]) as [string, string][]).map(([id]) => id);
          sent.push(ids.join());
          return sent.length === 1 ? new Promise(() => undefined) : Promise.resolve({ rows: [] });
        },
      } as unknown as pg.Pool;
      const writer = new SubmissionWriter(pool, 'subs', 'wake', 1_000);
      const settled: string[] = [];
      const track = (id: string) =>
        void writer.write(id, '{}').then(
          () => settled.push(`${id} written`),
          () => settled.push(`${id} refused`),
        );
      track('a');
      await vi.advanceTimersByTimeAsync(500);
      track('b'); // the group in flight is not stuck yet: b waits for it
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toEqual(['a']);
      await vi.advanceTimersByTimeAsync(600);
      track('c'); // past stuckMs: b and c are written beside it
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toEqual(['a', 'b,c']);
      expect(settled).toEqual(['b written', 'c written']); // a: neither, its outcome unknown
    } finally {
      vi.useRealTimers();
    }
  });
});
