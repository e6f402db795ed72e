// What only the PostgreSQL store does: several processes may open one store, so the
// database decides who owns it and refuses a deposed owner's writes (fencing); it refuses a
// schema that is not an overseer store, or is newer, and a database it cannot reach.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import {
  CorruptStoreRecord,
  ForeignStoreFile,
  StoreOpenFailed,
  StoreSchemaTooNew,
  StoreWriteFailed,
} from '../../src/errors/index.js';
import { FORGET_PER_BATCH } from '../../src/store/postgres/forget-queue.js';
import { postgresStore } from '../../src/store/postgres/postgres-store.js';
import { moved, submitted, tempDir } from './fixtures.js';

const failure = { kind: 'error', code: 'HandlerError', message: 'boom' } as const;

const dir = tempDir();
afterAll(() => dir.remove());

async function sql(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: await dir.postgresUrl() });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe('a PostgreSQL store shared by two systems', () => {
  it('lets one own it; the other takes over once the claim expires, and the first is fenced off', async () => {
    const a = await dir.postgres({ schema: 'shared' });
    expect(a.claimOwner({ holder: 'a', now: 0, until: 1_000 })).toEqual({ ok: true });
    a.appendTask(submitted('t1', 0));
    await a.flush();
    // b opens the same store: it sees a's claim and, while it lasts, cannot take it.
    const b = await dir.postgres({ schema: 'shared' });
    expect(b.claimOwner({ holder: 'b', now: 500, until: 1_500 })).toEqual({
      ok: false,
      holder: 'a',
      until: 1_000,
    });
    expect(b.load(500).tasks.map((t) => t.taskId)).toEqual(['t1']);
    // a stalls past its claim; b takes the store over.
    expect(b.claimOwner({ holder: 'b', now: 1_200, until: 2_200 })).toEqual({ ok: true });
    await b.flush();
    // a wakes up and writes: refused, all of it; nothing of it lands.
    a.appendTask(submitted('t2', 1_300));
    await expect(a.flush()).rejects.toThrow(StoreWriteFailed);
    await expect(
      (async () => {
        a.appendTask(submitted('t3', 1_300));
        await a.flush();
      })(),
    ).rejects.toThrow(/owned by b now: this system was deposed/);
    const { rows } = await sql('SELECT task_id FROM shared.tasks ORDER BY seq');
    expect(rows.map((r) => r.task_id)).toEqual(['t1']);
    // b's writes land.
    b.appendTask(submitted('t4', 1_400));
    await b.flush();
    const after = await dir.postgres({ schema: 'shared' });
    expect(after.load(1_500).tasks.map((t) => t.taskId)).toEqual(['t1', 't4']);
  });

  it('refuses a second terminal record for a task in the database itself', async () => {
    await dir.postgres({ schema: 'terminal' });
    await sql(`INSERT INTO terminal.task_records (seq, task_id, kind, v, body)
               VALUES (1, 'x', 'task.completed', 1, '{}')`);
    await expect(
      sql(`INSERT INTO terminal.task_records (seq, task_id, kind, v, body)
           VALUES (2, 'x', 'task.failed', 1, '{}')`),
    ).rejects.toThrow(/task_records_one_terminal/);
  });
});

describe('opening a PostgreSQL store', () => {
  it('refuses a schema holding other tables, and touches nothing', async () => {
    await sql('CREATE SCHEMA theirs; CREATE TABLE theirs.orders (id int)');
    const opening = dir.postgres({ schema: 'theirs' });
    await expect(opening).rejects.toThrow(ForeignStoreFile);
    await expect(dir.postgres({ schema: 'theirs' })).rejects.toThrow(
      /schema theirs holds tables orders and no overseer_schema/,
    );
    const { rows } = await sql(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'theirs'",
    );
    expect(rows).toEqual([{ table_name: 'orders' }]);
  });

  it('refuses a schema from a newer overseer', async () => {
    await dir.postgres({ schema: 'future' });
    await sql("INSERT INTO future.overseer_schema (version, description) VALUES (99, 'later')");
    await expect(dir.postgres({ schema: 'future' })).rejects.toThrow(StoreSchemaTooNew);
  });

  it('names the database it cannot reach, without its password', async () => {
    const opening = postgresStore('postgres://someone:secret@127.0.0.1:1/nowhere', {
      retryForMs: 0,
    });
    await expect(opening).rejects.toThrow(StoreOpenFailed);
    await expect(
      postgresStore('postgres://someone:secret@127.0.0.1:1/nowhere'),
    ).rejects.not.toThrow(/secret/);
  });
});

describe('a PostgreSQL store under a leader lease', () => {
  it('takes the owner claim over from a deposed leader whose claim has not expired', async () => {
    await dir.postgres({ schema: 'leased' });
    await sql(`INSERT INTO leased.leader (id, holder, epoch, until)
      VALUES (1, 'a', 1, now() + interval '1 hour')`);
    const a = await dir.postgres({ schema: 'leased', leader: { holder: 'a', epoch: 1 } });
    expect(a.claimOwner({ holder: 'system-a', now: 0, until: 10_000 })).toEqual({ ok: true });
    a.appendTask(submitted('t1', 0));
    await a.flush();
    // b took the lease (epoch 2) while a stalled; a's owner claim still runs until 10,000.
    await sql(`UPDATE leased.leader SET holder = 'b', epoch = 2`);
    const b = await dir.postgres({ schema: 'leased', leader: { holder: 'b', epoch: 2 } });
    expect(b.claimOwner({ holder: 'system-b', now: 100, until: 10_100 })).toEqual({ ok: true });
    b.appendTask(submitted('t2', 100));
    await b.flush();
    // a wakes up: its writes, its claim's renewal among them, are refused.
    a.claimOwner({ holder: 'system-a', now: 200, until: 10_200 });
    a.appendTask(submitted('t3', 200));
    await expect(a.flush()).rejects.toThrow(StoreWriteFailed);
    const owner = await sql('SELECT holder FROM leased.owner');
    expect(owner.rows).toEqual([{ holder: 'system-b' }]);
    const tasks = await sql('SELECT task_id FROM leased.tasks ORDER BY seq');
    expect(tasks.rows.map((r) => r.task_id)).toEqual(['t1', 't2']);
  });
});

describe("a task's history in its row", () => {
  it('keeps the records before its end in the task row, and its end in task_records', async () => {
    const store = await dir.postgres({ schema: 'history' });
    store.appendTask(submitted('a', 1));
    await store.flush();
    store.appendTask(moved('a', 'running', 1, 2, 'w'));
    store.appendTask({
      kind: 'task.completed',
      taskId: 'a',
      attempt: 1,
      agentId: 'w',
      at: 3,
      output: 1,
    });
    await store.flush();
    const rows = await sql(`SELECT kind FROM history.task_records WHERE task_id = 'a'`);
    expect(rows.rows).toEqual([{ kind: 'task.completed' }]);
    const reopened = await dir.postgres({ schema: 'history' });
    expect(reopened.history('a')).toEqual(store.history('a'));
    expect(reopened.history('a').map((r) => r.kind)).toEqual([
      'task.submitted',
      'task.transition',
      'task.completed',
    ]);
  });

  it('leaves room on a task row’s page, and indexes only what its writes need: its updates stay in place', async () => {
    await dir.postgres({ schema: 'inplace' });
    const table = await sql(
      `SELECT reloptions FROM pg_class WHERE oid = 'inplace.tasks'::regclass`,
    );
    expect(table.rows[0].reloptions).toContain('fillfactor=70');
    const indexes = await sql(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'inplace' AND tablename = 'tasks'`,
    );
    const defs = indexes.rows.map((r) => r.indexdef as string);
    expect(defs.some((d) => d.includes('(seq)'))).toBe(true);
    expect(defs.filter((d) => d.includes('finished_at'))).toEqual([]);
    // task_records holds ends: its only index by task is the one that keeps them to one.
    const ends = await sql(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'inplace' AND tablename = 'task_records'`,
    );
    expect(ends.rows.map((r) => r.indexname).sort()).toEqual([
      'task_records_one_terminal',
      'task_records_pkey',
    ]);
  });

  it('reads records an older schema kept in task_records, in order with the row’s', async () => {
    const store = await dir.postgres({ schema: 'legacy' });
    store.appendTask(submitted('a', 1));
    store.appendTask(moved('a', 'running', 1, 2, 'w'));
    await store.flush();
    // As schema 5 left it: the first record a row of task_records, not a line of history.
    const { rows } = await sql(`SELECT history FROM legacy.tasks WHERE task_id = 'a'`);
    const [first, second] = (rows[0].history as string).split('\n');
    const [seq, kind, v] = (first as string).split('\t');
    // A row of task_records carries its whole record, the spec included.
    const { seq: _seq, v: _v, ...record } = store.history('a')[0] as object as Record<string, 1>;
    const body = JSON.stringify(record).replaceAll("'", "''");
    await sql(`INSERT INTO legacy.task_records (seq, task_id, kind, v, body)
      VALUES (${seq}, 'a', '${kind}', ${v}, '${body}')`);
    await sql(`UPDATE legacy.tasks SET history = '${second}\n' WHERE task_id = 'a'`);
    const reopened = await dir.postgres({ schema: 'legacy' });
    expect(reopened.history('a')).toEqual(store.history('a'));
    // A cluster's client reads it so too.
    const client = await connectCluster(await dir.postgresUrl(), { schema: 'legacy' });
    expect(await client.task('a').history()).toEqual(store.history('a'));
    await client.close();
    // Compaction drops such a record once its task ended, in the database, and keeps the end.
    reopened.appendTask({ kind: 'task.completed', taskId: 'a', attempt: 1, at: 3, output: 1 });
    reopened.compact({ now: 4 });
    await reopened.flush();
    const kept = await sql(`SELECT kind FROM legacy.task_records WHERE task_id = 'a'`);
    expect(kept.rows).toEqual([{ kind: 'task.completed' }]);
    expect((await dir.postgres({ schema: 'legacy' })).history('a')).toEqual(reopened.history('a'));
  });

  it("leaves a submitted record's spec out of its line, and reads lines written with it", async () => {
    const store = await dir.postgres({ schema: 'spec' });
    store.appendTask(submitted('a', 1));
    await store.flush();
    const { rows } = await sql(`SELECT spec, history FROM spec.tasks WHERE task_id = 'a'`);
    const line = rows[0].history as string;
    expect(line).not.toContain('"spec"');
    expect((await dir.postgres({ schema: 'spec' })).history('a')).toEqual(store.history('a'));
    // As schema 6 wrote it: the spec in the line too.
    const [seq, kind, v, body] = line.replace('\n', '').split('\t') as [
      string,
      string,
      string,
      string,
    ];
    const withSpec = `{"spec":${rows[0].spec},${body.slice(1)}`;
    await sql(`UPDATE spec.tasks SET history = $1 WHERE task_id = 'a'`, [
      `${seq}\t${kind}\t${v}\t${withSpec}\n`,
    ]);
    expect((await dir.postgres({ schema: 'spec' })).history('a')).toEqual(store.history('a'));
  });

  it('writes a body without its task id (an end without its outcome), and reads bodies written with them', async () => {
    const store = await dir.postgres({ schema: 'compact' });
    store.appendTask(submitted('a', 1));
    store.appendTask(moved('a', 'running', 1, 2, 'w'));
    store.appendTask({ kind: 'task.failed', taskId: 'a', attempt: 1, at: 3, error: failure });
    await store.flush();
    const row = await sql(`SELECT history FROM compact.tasks WHERE task_id = 'a'`);
    const end = await sql(`SELECT body FROM compact.task_records WHERE task_id = 'a'`);
    const bodies = [...(row.rows[0].history as string).split('\n'), end.rows[0].body as string];
    const lineBodies = bodies.map((b) => b.split('\t').at(-1) ?? '').filter(Boolean);
    expect(lineBodies.map((b) => Object.keys(JSON.parse(b) as object).sort())).toEqual([
      ['at', 'kind'],
      ['agentId', 'at', 'attempt', 'kind', 'state'],
      ['at', 'attempt', 'kind'], // its error: the row's outcome holds it
    ]);
    const history = store.history('a');
    expect((await dir.postgres({ schema: 'compact' })).history('a')).toEqual(history);
    // As schema 8 wrote them: each body whole.
    const whole = history.map(({ seq: _seq, v: _v, ...record }) =>
      record.kind === 'task.submitted'
        ? { kind: record.kind, taskId: record.taskId, at: record.at }
        : record,
    );
    const lines = whole
      .slice(0, 2)
      .map((r, i) => `${history[i]?.seq}\t${r.kind}\t1\t${JSON.stringify(r)}\n`);
    await sql(`UPDATE compact.tasks SET history = $1 WHERE task_id = 'a'`, [lines.join('')]);
    await sql(`UPDATE compact.task_records SET body = $1 WHERE task_id = 'a'`, [
      JSON.stringify(whole[2]),
    ]);
    expect((await dir.postgres({ schema: 'compact' })).history('a')).toEqual(history);
  });

  it('stores a task that takes a forgotten task’s id in the same batch', async () => {
    const store = await dir.postgres({ schema: 'reused' });
    store.appendTask(submitted('a', 1));
    store.appendTask({ kind: 'task.completed', taskId: 'a', attempt: 1, at: 2, output: 'old' });
    await store.flush();
    // Forgotten, and its id taken again, in one batch.
    store.forgetFinished?.(['a']);
    store.appendTask(submitted('a', 3));
    await store.flush();
    const rows = await sql(`SELECT state, submitted_at FROM reused.tasks WHERE task_id = 'a'`);
    expect(rows.rows).toEqual([{ state: 'ready', submitted_at: 3 }]);
    const reopened = await dir.postgres({ schema: 'reused' });
    expect(reopened.history('a').map((r) => r.kind)).toEqual(['task.submitted']);
  });

  it('names a history line that is not seq, kind, v and body when the history is read', async () => {
    const store = await dir.postgres({ schema: 'garbled' });
    store.appendTask(submitted('a', 1));
    await store.flush();
    await sql(`UPDATE garbled.tasks SET history = 'not a record' WHERE task_id = 'a'`);
    // Opening reads no task's history (a takeover does not wait for it); the task's row,
    // which recovery needs, reads back whole.
    const reopened = await dir.postgres({ schema: 'garbled' });
    expect(reopened.load(0).tasks.map((t) => [t.taskId, t.state])).toEqual([['a', 'ready']]);
    expect(() => reopened.history('a')).toThrow(CorruptStoreRecord);
    expect(() => reopened.history('a')).toThrow(/tasks\.history.*task_id=a/);
  });
});

describe('a PostgreSQL store forgetting many finished tasks at once', () => {
  it('deletes them all over a few batches, and stores a task that takes the id of one still waiting', async () => {
    // A first start on a store above retainFinished forgets the excess at once: in one
    // transaction it would hold the batch's fence row, and the lease renewal waiting on it.
    const store = await dir.postgres({ schema: 'sliced' });
    const n = 2 * FORGET_PER_BATCH + 500;
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    for (const id of ids) {
      store.appendTask(submitted(id, 1));
      store.appendTask({ kind: 'task.completed', taskId: id, attempt: 1, at: 2, output: 1 });
    }
    await store.flush();
    const finished = async () =>
      Number(
        (await sql('SELECT count(*) AS n FROM sliced.tasks WHERE finished_at IS NOT NULL')).rows[0]
          ?.n,
      );

    store.forgetFinished?.(ids);
    // The last one is not in the first slice: its id taken again, it goes in this batch.
    store.appendTask(submitted(`t${n - 1}`, 3));
    // Three slices, three batches (forget-queue.test.ts checks each batch's share).
    for (let i = 0; i < 3; i++) await store.flush();
    expect(await finished()).toBe(0);
    const rows = await sql(`SELECT task_id, state FROM sliced.tasks`);
    expect(rows.rows).toEqual([{ task_id: `t${n - 1}`, state: 'ready' }]);
  }, 60_000);
});
