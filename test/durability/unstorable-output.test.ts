// A completion counts only once it is durable: an output the store cannot hold fails the
// task with the store's error, everywhere at once (result, status, events, the store).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import { advanceClock, startSystem } from '../support/system-harness.js';

describe('an output the store cannot hold', () => {
  it('fails the task with InvalidStoreRecord instead of completing it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'overseer-')), 'state.db');
    const store = sqliteStore(path);
    const { system, clock, of } = startSystem({
      store,
      agents: [{ id: 'w', handler: async () => ({ n: 10n }) }],
    });
    const handle = await system.submit({ id: 'big', type: 'x' });
    await advanceClock(clock, 10);
    await expect(handle.result()).rejects.toMatchObject({
      code: 'TaskFailed',
      error: { code: 'InvalidStoreRecord' },
    });
    expect(system.task('big')).toMatchObject({ state: 'failed', attempts: 1 });
    expect(of('task.completed')).toEqual([]);
    expect(of('task.failed').map((e) => e.error.code)).toEqual(['InvalidStoreRecord']);
    await system.stop();
    await store.close();
    const reopened = sqliteStore(path);
    expect(reopened.load(0).tasks.find((t) => t.taskId === 'big')?.state).toBe('failed');
    await reopened.close();
  });
});
