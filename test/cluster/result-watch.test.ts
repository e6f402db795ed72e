// A cluster client waiting on many results reads them together: one statement for the
// results asked for in one turn (up to RESULTS_PER_READ), not one per task per poll; each
// still gets its own outcome (completed, refused, pending until it ends, unknown).
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RESULTS_PER_READ, ResultWatch } from '../../src/cluster/result-watch.js';
import { SubmissionRefused, UnknownTask } from '../../src/index.js';
import { tableNamer } from '../../src/store/postgres/postgres-schema.js';
import { submitted, tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe("a cluster client's waiting results", () => {
  it('are read together, each with its own outcome', async () => {
    const schema = 'watched';
    const store = await dir.postgres({ schema });
    const n = RESULTS_PER_READ + 5;
    for (let i = 0; i < n; i++) {
      store.appendTask(submitted(`t${i}`, i));
      store.appendTask({ kind: 'task.completed', taskId: `t${i}`, attempt: 1, at: i, output: i });
    }
    store.appendTask(submitted('running', 0));
    await store.flush();
    const pool = new pg.Pool({ connectionString: await dir.postgresUrl(), max: 2 });
    const q = tableNamer(schema);
    await pool.query(`INSERT INTO ${q('rejections')} (task_id, error) VALUES ('nope', 'no agent')`);
    await pool.query(`INSERT INTO ${q('submissions')} (task_id, spec) VALUES ('queued', '{}')`);
    const statements: string[] = [];
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as { query: unknown }).query = (text: string, values: unknown[]) => {
      statements.push(text);
      return query(text, values);
    };
    const watch = new ResultWatch(pool, q, 60_000);
    try {
      const outputs = Promise.all(
        Array.from({ length: n }, (_, i) => watch.result(`t${i}`, undefined)),
      );
      const refused = watch.result('nope', undefined);
      const forgotten = watch.result('gone', undefined);
      expect(await outputs).toEqual(Array.from({ length: n }, (_, i) => i));
      await expect(refused).rejects.toBeInstanceOf(SubmissionRefused);
      await expect(forgotten).rejects.toBeInstanceOf(UnknownTask);
      // n + 2 results, read in two statements: a full one and the rest.
      expect(statements).toHaveLength(2);
      // Still waiting: a task running, a submission not taken in; closing rejects them.
      const running = watch.result('running', undefined);
      const queued = watch.result('queued', undefined);
      await new Promise((resolve) => setImmediate(resolve));
      while (statements.length < 3) await new Promise((resolve) => setImmediate(resolve));
      watch.close();
      await expect(running).rejects.toThrow('closed before task running ended');
      await expect(queued).rejects.toThrow('closed before task queued ended');
    } finally {
      watch.close();
      await pool.end();
    }
  });

  it('are read beside a read whose statement never answers (a half-open connection)', async () => {
    vi.useFakeTimers();
    try {
      const sent: string[] = [];
      // The first statement never answers; later ones say every task asked for completed.
      const pool = {
        query(_text: string, values: [string]) {
          const asked = JSON.parse(values[0]) as { n: number; id: string }[];
          sent.push(asked.map((a) => a.id).join());
          if (sent.length === 1) return new Promise(() => undefined);
          return Promise.resolve({
            rows: asked.map(({ n, id }) => ({
              n,
              task_id: id,
              state: 'completed',
              attempt: 1,
              outcome: JSON.stringify({ output: `${id} done` }),
              refused: null,
              pending: false,
            })),
          });
        },
      } as unknown as pg.Pool;
      const watch = new ResultWatch(pool, tableNamer('stuck'), 100, 1_000);
      let output: unknown;
      void watch.result('a', undefined).then((o) => {
        output = o;
      });
      await vi.advanceTimersByTimeAsync(900);
      expect(output).toBeUndefined(); // polls come, but the read in flight holds them
      expect(sent).toEqual(['a']);
      await vi.advanceTimersByTimeAsync(200); // past stuckMs: a read goes beside it
      expect(output).toBe('a done');
      expect(sent).toEqual(['a', 'a']);
      watch.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
