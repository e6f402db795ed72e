// The leader's intake keeps a refused submission's reason for its client's result() for a
// day (REJECTION_RETAIN_MS), then forgets it: a client submitting what no agent offers, all
// day long, does not grow the rejections table without end.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { ResultWatch } from '../../src/cluster/result-watch.js';
import { REJECTION_RETAIN_MS } from '../../src/cluster/submission-intake.js';
import { SubmissionRefused, UnknownTask } from '../../src/index.js';
import { tableNamer } from '../../src/store/postgres/postgres-schema.js';
import { tempDir } from '../store/fixtures.js';
import { intakeLeader } from '../support/intake-leader.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe("the leader's intake", () => {
  it('forgets a refusal a day after it, keeping the newer ones', async () => {
    const schema = 'refusals';
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const q = tableNamer(schema);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(
      `INSERT INTO ${q('rejections')} (task_id, error, at) VALUES
         ('old', 'no agent offers gpu', now() - $1 * interval '1 millisecond' - interval '1 minute'),
         ('recent', 'no agent offers gpu', now() - interval '23 hours')`,
      [REJECTION_RETAIN_MS],
    );
    const leader = await intakeLeader(dir, schema, {
      agents: [{ id: 'doubler', capabilities: ['double'], handler: (n: number) => n * 2 }],
    });
    const refused = await client.submit({ type: 'gpu', capabilities: ['gpu'] });
    await expect(refused.result()).rejects.toBeInstanceOf(SubmissionRefused);
    const left = async () =>
      (
        await db.query<{ task_id: string }>(`SELECT task_id FROM ${q('rejections')} ORDER BY 1`)
      ).rows
        .map((r) => r.task_id)
        .sort();
    await until(async () => !(await left()).includes('old'));
    expect(await left()).toEqual([refused.id, 'recent'].sort());
    // A client asking after the forgotten one hears the task is unknown, not a wait forever.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const watch = new ResultWatch(pool, q, 50);
    await expect(watch.result('old', undefined)).rejects.toBeInstanceOf(UnknownTask);
    await expect(watch.result('recent', undefined)).rejects.toBeInstanceOf(SubmissionRefused);
    watch.close();
    await pool.end();
    await leader.close();
    await client.close();
    await db.end();
  });
});
