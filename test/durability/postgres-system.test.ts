// A system on the PostgreSQL store: what it ran survives its process, a second system on the
// same store rebuilds from it, and a system whose store was taken over steps down.
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../store/fixtures.js';
import { advanceClock } from '../support/system-harness.js';
import { systemOn } from './restarting-system.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('a system on PostgreSQL', () => {
  it('is rebuilt by the next system on the store: finished work kept, lost work rerun', async () => {
    const first = systemOn(await dir.postgres({ schema: 'rebuild' }), 0, [], new Set(['b']));
    for (const id of ['a', 'b', 'c'])
      await first.system.submit({ id, type: 'step', input: id, idempotencyKey: `key-${id}` });
    await advanceClock(first.clock, 50);
    expect(first.system.task('a').state).toBe('completed');
    expect(first.system.task('b').state).toBe('running');
    // The process dies here: its system is abandoned, and its claims expire with time.
    const ran: string[] = [];
    const second = systemOn(await dir.postgres({ schema: 'rebuild' }), 5_000, ran);
    await advanceClock(second.clock, 100);
    expect([...ran].sort()).toEqual(['b#2', 'c#1']);
    expect(second.system.task('a')).toMatchObject({ state: 'completed', attempts: 1 });
    const again = await second.system.submit({ type: 'step', input: 'a', idempotencyKey: 'key-a' });
    expect(again.id).toBe('a');
    expect(await again.result()).toBe('a done');
    await second.system.stop({ timeoutMs: 0 });
  });

  it('steps down when another system took the store over: none of its later writes land', async () => {
    const first = systemOn(await dir.postgres({ schema: 'takeover' }), 0, []);
    await first.system.submit({ id: 'x', type: 'step', input: 'x' });
    await advanceClock(first.clock, 10);
    // The first stalls past its claim (1 s, renewed every 0.5 s); a second one takes over.
    const storeB = await dir.postgres({ schema: 'takeover' });
    const second = systemOn(storeB, 60_000, []);
    await storeB.flush(); // its claim is in the database: the takeover happened
    const lost: unknown[] = [];
    first.system.on('store.lost', (e) => lost.push(e));
    // The first wakes up and writes: the database refuses it, and it steps down.
    await expect(first.system.submit({ id: 'y', type: 'step', input: 'y' })).rejects.toThrow(
      /deposed/,
    );
    expect(first.system.phase).toBe('failed');
    expect(lost).toHaveLength(1);
    const reopened = await dir.postgres({ schema: 'takeover' });
    expect(reopened.load(60_000).tasks.map((t) => t.taskId)).toEqual(['x']);
    await second.system.stop({ timeoutMs: 0 });
  });
});
