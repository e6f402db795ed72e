// Opening a PostgreSQL store reads its tasks in pages, turning each page into the mirror's
// shape before asking for the next: a leader taking over a large store must go on renewing
// its lease meanwhile, so the event loop gets a turn between pages.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPostgres } from '../../src/store/postgres/postgres-load.js';
import { tableNamer } from '../../src/store/postgres/postgres-schema.js';
import { moved, submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** A store in `schema` holding `n` tasks, the even ones finished; and a pool on it. */
async function storeOf(schema: string, n: number) {
  const store = await dir.postgres({ schema });
  for (let i = 0; i < n; i++) {
    store.appendTask(submitted(`t${i}`, i));
    if (i % 2 === 0) {
      store.appendTask(moved(`t${i}`, 'running', 1, i, 'w'));
      store.appendTask({ kind: 'task.completed', taskId: `t${i}`, attempt: 1, at: i, output: i });
    }
  }
  await store.flush();
  const pool = new pg.Pool({ connectionString: await dir.postgresUrl(), max: 1 });
  return { store, pool, q: tableNamer(schema) };
}

describe('loading a PostgreSQL store in pages', () => {
  it.each([
    [5, 2],
    [4, 2],
    [3, 5],
  ])('reads all %i tasks in order, pages of %i, each with its history', async (n, rows) => {
    const { store, pool, q } = await storeOf(`paged_${n}_${rows}`, n);
    try {
      const loaded = await loadPostgres(pool, q, rows);
      expect(loaded.tasks.map((t) => t.taskId)).toEqual(
        Array.from({ length: n }, (_, i) => `t${i}`),
      );
      expect(loaded.tasks.map((t) => t.lines.count)).toEqual(
        Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 3 : 1)),
      );
      expect(loaded.tasks.map((t) => t.output)).toEqual(
        Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i : undefined)),
      );
      const history = store.history('t0');
      expect(loaded.tasks[0]?.lines.lastSeq).toBe(history.at(-1)?.seq);
    } finally {
      await pool.end();
    }
  });

  it('asks for the tasks a page at a time, each waited on (the event loop turns meanwhile)', async () => {
    const { pool, q } = await storeOf('turns', 10);
    const pages: number[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as { query: unknown }).query = (text: unknown, values?: unknown[]) => {
        if (typeof text === 'string' && text.includes(`FROM ${q('tasks')} t`))
          pages.push(Number(values?.[1]));
        return values === undefined ? query(text) : query(text, values);
      };
    });
    try {
      await loadPostgres(pool, q, 2);
      // 10 tasks in pages of 2: five full pages, then an empty one that says it is over.
      expect(pages).toEqual([2, 2, 2, 2, 2, 2]);
    } finally {
      await pool.end();
    }
  });
});
