// A store write that fails mid-run is an event, never a log line only; a store closed before
// its system stopped ends nothing with an exception from a timer.
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStore, type Store, StoreWriteFailed } from '../../src/index.js';
import { storeKinds, tempDir } from '../store/fixtures.js';
import { advanceClock, startSystem } from '../support/system-harness.js';

/** A memory store whose writes of the given record kinds fail, as a full disk would. */
function failingOn(kinds: readonly string[]): Store {
  const inner = memoryStore();
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'appendTask')
        return (record: { kind: string; taskId: string }) => {
          if (kinds.includes(record.kind))
            throw new StoreWriteFailed('jobs.db', 1, { cause: new Error('disk full') });
          target.appendTask(record as never);
        };
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a store write that fails mid-run', () => {
  it('is published as store.write.failed, and the task goes on', async () => {
    const { system, clock, of } = startSystem({
      store: failingOn(['task.transition']),
      agents: [{ id: 'w', handler: async () => 'ok' }],
    });
    const handle = await system.submit({ id: 't', type: 'x' });
    await advanceClock(clock, 10);
    expect(await handle.result()).toBe('ok');
    expect(of('store.write.failed')).toEqual([
      expect.objectContaining({
        taskId: 't',
        what: 'could not record that task t attempt 1 started',
        error: expect.stringContaining('disk full'),
      }),
    ]);
    await system.stop();
  });

  it('fails the result of a task whose end cannot be recorded, and says so', async () => {
    const { system, clock, of } = startSystem({
      store: failingOn(['task.completed']),
      agents: [{ id: 'w', handler: async () => 'ok' }],
    });
    const handle = await system.submit({ id: 't', type: 'x' });
    await advanceClock(clock, 10);
    await expect(handle.result()).rejects.toBeInstanceOf(StoreWriteFailed);
    // Unfinished here as in the store, so a restart runs it again; never announced done.
    expect(system.task('t').state).toBe('running');
    expect(of('task.completed')).toEqual([]);
    expect(of('store.write.failed')).toEqual([
      expect.objectContaining({ taskId: 't', what: 'could not record the end of task t' }),
    ]);
    await system.stop();
  });
});

const dir = tempDir();
afterAll(() => dir.remove());

describe.each(storeKinds(dir))('a $kind store closed under its running system', ({ open }) => {
  it('ends the claim renewals quietly instead of throwing from a timer; a submit is refused', async () => {
    const store = await open();
    const { system, clock } = startSystem({
      store,
      leaseMs: 1_000,
      agents: [{ id: 'w', handler: async () => 'ok' }],
    });
    await store.close();
    // Past several renewals of the claim (every half of it): none throws.
    await advanceClock(clock, 5_000);
    await expect(system.submit({ id: 't', type: 'x' })).rejects.toThrow(/closed/);
    await system.stop();
    expect(system.phase).toBe('stopped');
  });
});
