import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { moved, storeKinds, submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** done finished at 10, failed at 20, and live is still running. */
function withHistory(store: Store): Store {
  store.appendTask(submitted('done', 1, { idempotencyKey: 'order-1' }));
  store.appendTask(submitted('failed', 2));
  store.appendTask(submitted('live', 3));
  for (const id of ['done', 'failed', 'live']) {
    store.appendTask(moved(id, 'assigned', 0, 4, 'agent:1'));
    store.appendTask(moved(id, 'running', 1, 5, 'agent:1'));
  }
  store.appendTask({ kind: 'task.completed', taskId: 'done', attempt: 1, at: 10, output: 'ok' });
  const error = { kind: 'error', code: 'HandlerError', message: 'boom' } as const;
  store.appendTask({ kind: 'task.failed', taskId: 'failed', attempt: 1, at: 20, error });
  const agent = { capabilities: [], resources: {}, slots: 1 };
  store.appendAgent({ kind: 'agent.registered', agentId: 'agent:1', at: 1, ...agent });
  store.appendAgent({ kind: 'agent.lost', agentId: 'agent:1', at: 6, reason: 'crash' });
  store.appendAgent({ kind: 'agent.restarted', agentId: 'agent:1', at: 7 });
  return store;
}

describe.each(storeKinds(dir))('compacting $kind', ({ open }) => {
  it('keeps only the final record of a terminal task, and all of an unfinished one', async () => {
    const store = withHistory(await open());
    const before = store.load(30);
    expect(store.compact({ now: 30 })).toEqual({ recordsDropped: 8, tasksForgotten: 0 });
    expect(store.history('done').map((r) => r.kind)).toEqual(['task.completed']);
    expect(store.history('failed').map((r) => r.kind)).toEqual(['task.failed']);
    expect(store.history('live')).toHaveLength(3);
    expect(store.load(30)).toEqual(before);
    expect(store.compact({ now: 30 })).toEqual({ recordsDropped: 0, tasksForgotten: 0 });
  });

  it('forgets terminal tasks, idempotency key and all, once their retention has passed', async () => {
    const store = withHistory(await open());
    expect(store.compact({ now: 29, retainTerminalMs: 10 })).toEqual({
      recordsDropped: 4 + 3 + 2,
      tasksForgotten: 1,
    });
    expect(store.load(29).tasks.map((t) => t.taskId)).toEqual(['failed', 'live']);
    expect(store.history('done')).toEqual([]);
    expect(store.compact({ now: 30, retainTerminalMs: 10 })).toMatchObject({ tasksForgotten: 1 });
    expect(store.load(30).tasks.map((t) => t.taskId)).toEqual(['live']);
    // Its id is free again: a resubmission is a new task, after the ones still held.
    store.appendTask(submitted('done', 31, { idempotencyKey: 'order-1' }));
    expect(store.load(31).tasks.map((t) => [t.taskId, t.state])).toEqual([
      ['live', 'running'],
      ['done', 'ready'],
    ]);
  });

  it('forgets finished tasks it is told to, whole, and ignores unfinished or unknown ones', async () => {
    const store = withHistory(await open());
    store.forgetFinished?.(['done', 'live', 'nobody']);
    await store.flush();
    expect(store.load(30).tasks.map((t) => t.taskId)).toEqual(['failed', 'live']);
    expect(store.history('done')).toEqual([]);
    expect(store.history('live')).toHaveLength(3);
    // Its id and key are free again.
    store.appendTask(submitted('done', 31, { idempotencyKey: 'order-1' }));
    expect(store.load(31).tasks.map((t) => t.taskId)).toEqual(['failed', 'live', 'done']);
  });

  it('keeps each agent’s latest record only', async () => {
    const store = withHistory(await open());
    store.compact({ now: 30 });
    expect(store.load(30).agents).toEqual([
      expect.objectContaining({ kind: 'agent.restarted', agentId: 'agent:1' }),
    ]);
  });
});

describe('forgetting finished tasks in a durable store', () => {
  it.each(storeKinds(dir).filter((k) => k.kind !== 'memory'))(
    'lasts: $kind reopened holds none of them',
    async ({ kind }) => {
      const postgres = kind === 'postgres' ? await dir.postgres({ schema: 'forgets' }) : undefined;
      const path = dir.file();
      const store = postgres ?? sqliteStore(path);
      withHistory(store).forgetFinished?.(['done', 'failed']);
      await store.close();
      const reopened = postgres
        ? await dir.postgres({ schema: 'forgets' })
        : dir.track(sqliteStore(path));
      expect(reopened.load(30).tasks.map((t) => t.taskId)).toEqual(['live']);
      expect(reopened.history('done')).toEqual([]);
    },
  );
});

describe('compacting sqlite', () => {
  it('is durable: a reopened file holds the compacted history', async () => {
    const path = dir.file();
    const store = withHistory(sqliteStore(path));
    store.compact({ now: 30, retainTerminalMs: 15 });
    const after = store.load(30);
    await store.close();
    const reopened = dir.track(sqliteStore(path));
    expect(reopened.load(30)).toEqual(after);
    expect(reopened.history('failed').map((r) => r.kind)).toEqual(['task.failed']);
  });
});
