import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidStoreRecord, StoreWriteFailed } from '../../src/errors/index.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import { TurnTransaction } from '../../src/store/turn-transaction.js';
import { moved, submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** What another process would see: committed rows only. */
function committedTasks(path: string): number {
  const reader = new Database(path, { readonly: true });
  try {
    return reader.prepare('SELECT count(*) FROM tasks').pluck().get() as number;
  } finally {
    reader.close();
  }
}

describe('sqlite store batching', () => {
  it('commits a turn’s writes in one transaction, durable once flush resolves', async () => {
    const path = dir.file();
    const store = dir.track(sqliteStore(path));
    for (let i = 0; i < 500; i++) {
      store.appendTask(submitted(`t${i}`, i));
      store.appendTask(moved(`t${i}`, 'running', 1, i, 'agent:1'));
      store.claimLease({ taskId: `t${i}`, owner: 'agent:1', attempt: 1, now: i, until: i + 30 });
    }
    // The same connection reads its writes at once; nobody else sees them yet.
    expect(store.load(0).tasks).toHaveLength(500);
    expect(committedTasks(path)).toBe(0);
    expect(store.commits).toBe(0);
    await store.flush();
    expect(store.commits).toBe(1);
    expect(committedTasks(path)).toBe(500);
  });

  it('commits once per turn that wrote, and flush resolves at once when nothing is pending', async () => {
    const store = dir.track(sqliteStore(dir.file()));
    await store.flush();
    store.appendTask(submitted('a', 1));
    const first = store.flush();
    store.appendTask(submitted('b', 2));
    await first;
    expect(store.commits).toBe(1);
    store.appendTask(submitted('c', 3));
    await store.flush();
    expect(store.commits).toBe(2);
    await store.flush();
    expect(store.commits).toBe(2);
  });

  it('undoes only a rejected write, not the rest of its turn', async () => {
    const path = dir.file();
    const store = dir.track(sqliteStore(path));
    store.appendTask(submitted('a', 1));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() =>
      store.appendTask({
        kind: 'task.completed',
        taskId: 'a',
        attempt: 1,
        at: 2,
        output: circular,
      }),
    ).toThrow(InvalidStoreRecord);
    store.appendTask(submitted('b', 3));
    await store.flush();
    expect(committedTasks(path)).toBe(2);
    expect(store.load(3).tasks.map((t) => t.state)).toEqual(['ready', 'ready']);
    expect(store.history('a')).toHaveLength(1);
  });

  it('keeps everything flushed across close and reopen, in WAL mode', async () => {
    const path = dir.file();
    const store = sqliteStore(path, { synchronous: 'normal' });
    store.appendTask(submitted('a', 1));
    store.appendTask(moved('a', 'running', 1, 2, 'agent:1'));
    store.claimLease({ taskId: 'a', owner: 'agent:1', attempt: 1, now: 2, until: 32 });
    const before = store.load(2);
    await store.close();
    const reopened = dir.track(sqliteStore(path));
    expect(reopened.load(2)).toEqual(before);
    const reader = new Database(path, { readonly: true });
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    reader.close();
  });

  it('fails a write with StoreWriteFailed when another connection holds the file’s write lock', () => {
    const path = dir.file();
    const store = dir.track(sqliteStore(path, { busyTimeoutMs: 0 }));
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(() => store.appendTask(submitted('a', 1))).toThrow(StoreWriteFailed);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    store.appendTask(submitted('a', 1));
    expect(store.load(1).tasks).toHaveLength(1);
  });
});

describe('a turn transaction that cannot commit', () => {
  /** An in-memory database whose commit is run by hand, and a write that breaks it. */
  function breakable() {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x)');
    const commits: (() => void)[] = [];
    const turn = new TurnTransaction(db, ':memory:', (commit) => commits.push(commit));
    const commit = () => {
      for (const run of commits.splice(0)) run();
    };
    // Ending the transaction behind the batch's back makes its COMMIT fail.
    const sabotage = () => db.exec('ROLLBACK');
    return { db, turn, commit, sabotage };
  }

  it('rejects the flush waiting on it with StoreWriteFailed, naming how many writes were lost', async () => {
    const { turn, commit, sabotage, db } = breakable();
    turn.write(() => db.prepare('INSERT INTO t VALUES (1)').run());
    turn.write(sabotage);
    const flushed = turn.flush();
    commit();
    await expect(flushed).rejects.toThrow(
      /store :memory: failed to commit 2 write\(s\): cannot commit - no transaction is active/,
    );
    expect(turn.commits).toBe(0);
  });

  it('reports a failure nobody awaited at the next flush', async () => {
    const { turn, commit, sabotage } = breakable();
    turn.write(sabotage);
    commit();
    await expect(turn.flush()).rejects.toThrow(StoreWriteFailed);
    await expect(turn.flush()).resolves.toBeUndefined();
  });
});
