// A client's feed of ended tasks: each once, in order, none lost while its listener was
// away. The pool is a stand-in whose answers the test gives when it chooses, so a notice
// can arrive while the feed reads back, as it can on a live connection.
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { EndedFeed, type TaskEnded } from '../../src/cluster/ended-feed.js';
import { tableNamer } from '../../src/store/postgres/postgres-schema.js';

interface Asked {
  readonly text: string;
  readonly values: unknown[] | undefined;
  answer(rows: unknown[]): void;
  fail(error: Error): void;
}

/** A pool whose queries wait for the test to answer them, in the order asked. */
function heldPool() {
  const asked: Asked[] = [];
  const waiters: (() => void)[] = [];
  const pool = {
    query: (text: string, values?: unknown[]) =>
      new Promise((resolve, reject) => {
        asked.push({
          text,
          values,
          answer: (rows) => resolve({ rows }),
          fail: reject,
        });
        for (const wake of waiters.splice(0)) wake();
      }),
  };
  /** The next query asked (waits for it). */
  const next = async (): Promise<Asked> => {
    while (asked.length === 0) await new Promise<void>((wake) => waiters.push(wake));
    return asked.shift() as Asked;
  };
  return { pool: pool as unknown as pg.Pool, next };
}

const end = (taskId: string, seq: number) => ({ taskId, state: 'completed' as const, seq });

/** A feed on a held pool, listening from the last end stored at `seq`. */
async function feedFrom(seq: number, wanted = () => true) {
  const { pool, next } = heldPool();
  const heard: TaskEnded[] = [];
  const feed = new EndedFeed(pool, tableNamer('overseer'), (e) => heard.push(e), wanted);
  const listening = feed.listening();
  (await next()).answer([{ seq }]);
  await listening;
  return { feed, next, heard, ids: () => heard.map((e) => e.taskId) };
}

describe("a client's feed of ended tasks", () => {
  it('starts from the last end stored: earlier ends are not news, later ones are heard', async () => {
    const { feed, ids } = await feedFrom(10);
    feed.notice([end('old', 9), end('a', 11), end('b', 12)]);
    expect(ids()).toEqual(['a', 'b']);
  });

  it('reads back what ended while it was away, then what it heard meanwhile, each once', async () => {
    const { feed, next, heard, ids } = await feedFrom(0);
    feed.notice([end('a', 1)]);
    // The listener broke; c and d ended meanwhile (b too, its notice lost). Listening again,
    // it reads back from 1; e's notice comes while it reads, d's too (sent just after LISTEN).
    const again = feed.listening();
    const readBack = await next();
    expect(readBack.values).toEqual([1]);
    feed.notice([end('d', 4), end('e', 5)]);
    expect(ids()).toEqual(['a']);
    readBack.answer([
      { seq: 2, task_id: 'b', kind: 'task.completed' },
      { seq: 3, task_id: 'c', kind: 'task.failed' },
      { seq: 4, task_id: 'd', kind: 'task.cancelled' },
    ]);
    await again;
    expect(ids()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(heard[2]).toEqual({ taskId: 'c', state: 'failed' });
    feed.notice([end('e', 5), end('f', 6)]);
    expect(ids()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('reads back in pages, and tries again while the database refuses, holding what it hears', async () => {
    const { feed, next, ids } = await feedFrom(0);
    const again = feed.listening();
    (await next()).fail(new Error('the database system is starting up'));
    feed.notice([end('late', 1_002)]);
    const page = Array.from({ length: 1_000 }, (_, i) => ({
      seq: i + 1,
      task_id: `t${i + 1}`,
      kind: 'task.completed',
    }));
    (await next()).answer(page);
    const second = await next();
    expect(second.values).toEqual([1_000]);
    second.answer([{ seq: 1_001, task_id: 't1001', kind: 'task.completed' }]);
    await again;
    expect(ids()).toHaveLength(1_002);
    expect(ids().slice(-2)).toEqual(['t1001', 'late']);
  });

  it('passes on notices of a leader from before ends carried their seq', async () => {
    const { feed, ids } = await feedFrom(5);
    feed.notice([{ taskId: 'x', state: 'completed' }]);
    expect(ids()).toEqual(['x']);
  });

  it('reads nothing back while nobody listens: it starts again from the last end stored', async () => {
    let wanted = false;
    const { feed, next, ids } = await feedFrom(0, () => wanted);
    const again = feed.listening();
    const asked = await next();
    expect(asked.text).toMatch(/max\(seq\)/);
    asked.answer([{ seq: 50 }]);
    await again;
    wanted = true;
    feed.notice([end('before', 40), end('after', 51)]);
    expect(ids()).toEqual(['after']);
  });

  it('reads back once more when it listened again while reading back', async () => {
    const { feed, next, ids } = await feedFrom(0);
    const again = feed.listening();
    const first = await next();
    // A second break and LISTEN while the first read is on its way: x ended in between.
    await feed.listening();
    first.answer([{ seq: 1, task_id: 'a', kind: 'task.completed' }]);
    const second = await next();
    expect(second.values).toEqual([1]);
    second.answer([{ seq: 2, task_id: 'x', kind: 'task.completed' }]);
    await again;
    expect(ids()).toEqual(['a', 'x']);
  });
});
