import { describe, expect, it } from 'vitest';
import {
  InvalidSystemOptions,
  memoryStore,
  NonRetryableError,
  TaskFailed,
  UnknownDependency,
  UnknownTask,
} from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

describe('retainFinished', () => {
  it('forgets the oldest finished tasks beyond the limit; handles keep their results', async () => {
    const { system } = startSystem({
      retainFinished: 2,
      agents: [{ id: 'w', handler: async (n: number) => n * 10 }],
    });
    const handles = [];
    for (const n of [1, 2, 3]) {
      const handle = await system.submit({
        id: `t${n}`,
        type: 'x',
        input: n,
        idempotencyKey: `k${n}`,
      });
      await handle.result();
      handles.push(handle);
    }
    expect(() => system.task('t1')).toThrow(UnknownTask);
    expect(system.task('t2').state).toBe('completed');
    expect(system.task('t3').state).toBe('completed');
    expect(await handles[0]?.result()).toBe(10);
    // Outcome counts are of every task that ever finished.
    expect(system.stats().tasks.completed).toBe(3);
    expect(system.metrics().tasks.completed).toBe(3);
  });

  it("forgets a forgotten task's idempotency key and refuses it as a dependency, saying why", async () => {
    const { system } = startSystem({
      retainFinished: 1,
      agents: [{ id: 'w', handler: async () => 'ok' }],
    });
    await (await system.submit({ id: 'a', type: 'x', idempotencyKey: 'once' })).result();
    await (await system.submit({ id: 'b', type: 'x' })).result();
    const again = await system.submit({ id: 'a2', type: 'x', idempotencyKey: 'once' });
    expect(again.id).toBe('a2');
    const refused = await system.submit({ type: 'y', dependsOn: ['a'] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnknownDependency);
    expect((refused as Error).message).toContain('no longer retained');
  });

  it('makes its store forget what it forgot, unless told to keep it there', async () => {
    for (const keepFinishedInStore of [false, true]) {
      const store = memoryStore();
      const { system } = startSystem({
        store,
        retainFinished: 2,
        keepFinishedInStore,
        agents: [{ id: 'w', handler: async (n: number) => n }],
      });
      for (const n of [1, 2, 3, 4])
        await (await system.submit({ id: `t${n}`, type: 'x', input: n })).result();
      const held = store.load(0).tasks.map((t) => t.taskId);
      expect(held).toEqual(keepFinishedInStore ? ['t1', 't2', 't3', 't4'] : ['t3', 't4']);
    }
    expect(() => startSystem({ keepFinishedInStore: 'yes' as never })).toThrow(
      /keepFinishedInStore must be true or false/,
    );
  });

  it('keeps every finished task with Infinity, and refuses a limit that is not a count', () => {
    const { system } = startSystem({ retainFinished: Number.POSITIVE_INFINITY, agents: [] });
    expect(system.phase).toBe('running');
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => startSystem({ retainFinished: bad })).toThrow(InvalidSystemOptions);
    }
    expect(() => startSystem({ retainFinished: -1 })).toThrow(/retainFinished/);
  });

  it('a kept finished task answers result() each time it is asked, with its own outcome', async () => {
    // A finished task keeps no settled promise (settlement.ts): each ask makes one.
    const { system } = startSystem({
      agents: [
        {
          id: 'w',
          handler: async (n: number) => {
            if (n < 0) throw new NonRetryableError('negative');
            return n * 2;
          },
        },
      ],
    });
    const ok = await system.submit({ type: 'x', input: 4 });
    const bad = await system.submit({ type: 'x', input: -1 });
    const cancelled = await system.submit({ type: 'x', input: 1, dependsOn: [bad.id] });
    for (let ask = 0; ask < 2; ask++) {
      expect(await ok.result()).toBe(8);
      await expect(bad.result()).rejects.toBeInstanceOf(TaskFailed);
      await expect(cancelled.result()).rejects.toThrow();
    }
    expect(system.task(ok.id).state).toBe('completed');
  });
});
