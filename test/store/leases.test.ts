import { afterAll, describe, expect, it } from 'vitest';
import { InvalidStoreRecord, TaskAlreadyTerminal } from '../../src/errors/index.js';
import type { Store } from '../../src/store/store.js';
import { moved, storeKinds, submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** A store holding tasks a, b and c, with a and b running on an agent. */
async function running(open: () => Promise<Store>): Promise<Store> {
  const store = await open();
  for (const [i, id] of ['a', 'b', 'c'].entries()) store.appendTask(submitted(id, i));
  store.appendTask(moved('a', 'running', 1, 5, 'agent:1'));
  store.appendTask(moved('b', 'running', 1, 5, 'agent:2'));
  return store;
}

const claim = (
  store: Store,
  taskId: string,
  owner: string,
  attempt: number,
  now: number,
  until: number,
) => store.claimLease({ taskId, owner, attempt, now, until });
const lease = (
  taskId: string,
  owner: string,
  attempt: number,
  claimedAt: number,
  until: number,
) => ({
  taskId,
  owner,
  attempt,
  claimedAt,
  until,
});

describe.each(storeKinds(dir))('leases on $kind', ({ open }) => {
  it('a claim on a free task gives the claimant a lease until the time it asked for', async () => {
    const store = await running(open);
    const result = claim(store, 'a', 'agent:1@r1', 1, 5, 35);
    expect(result).toEqual({
      ok: true,
      lease: lease('a', 'agent:1@r1', 1, 5, 35),
    });
    expect(store.load(5).tasks.find((t) => t.taskId === 'a')?.lease).toEqual(
      result.ok ? result.lease : undefined,
    );
  });

  it('another owner cannot claim a live lease, and takes it over the moment it expires', async () => {
    const store = await running(open);
    claim(store, 'a', 'first', 1, 5, 35);
    const refused = claim(store, 'a', 'second', 2, 34, 60);
    expect(refused).toEqual({ ok: false, heldBy: expect.objectContaining({ owner: 'first' }) });
    const taken = claim(store, 'a', 'second', 2, 35, 60);
    expect(taken).toEqual({
      ok: true,
      lease: lease('a', 'second', 2, 35, 60),
    });
  });

  it('the holder re-claiming keeps when it first claimed and moves attempt and expiry', async () => {
    const store = await running(open);
    claim(store, 'a', 'first', 1, 5, 35);
    const again = claim(store, 'a', 'first', 2, 20, 50);
    expect(again).toEqual({
      ok: true,
      lease: lease('a', 'first', 2, 5, 50),
    });
  });

  it('renewal extends only the owner’s live lease', async () => {
    const store = await running(open);
    claim(store, 'a', 'first', 1, 5, 35);
    expect(store.renewLease({ taskId: 'a', owner: 'other', now: 10, until: 99 })).toEqual({
      ok: false,
      heldBy: expect.objectContaining({ owner: 'first', until: 35 }),
    });
    expect(store.renewLease({ taskId: 'a', owner: 'first', now: 30, until: 65 })).toEqual({
      ok: true,
      lease: lease('a', 'first', 1, 5, 65),
    });
    // Expired: the task may already be rescheduled, so the old holder cannot extend it.
    expect(store.renewLease({ taskId: 'a', owner: 'first', now: 65, until: 95 })).toEqual({
      ok: false,
      heldBy: expect.objectContaining({ owner: 'first', until: 65 }),
    });
    expect(store.renewLease({ taskId: 'c', owner: 'first', now: 65, until: 95 })).toEqual({
      ok: false,
      heldBy: undefined,
    });
  });

  it('only the owner releases a lease', async () => {
    const store = await running(open);
    claim(store, 'a', 'first', 1, 5, 35);
    expect(store.releaseLease('a', 'other')).toBe(false);
    expect(store.releaseLease('a', 'first')).toBe(true);
    expect(store.releaseLease('a', 'first')).toBe(false);
    expect(store.load(5).tasks[0]?.lease).toBeUndefined();
  });

  it('expiry drops the leases due by then, in submission order, and keeps the rest', async () => {
    const store = await running(open);
    claim(store, 'b', 'two', 1, 5, 20);
    claim(store, 'c', 'three', 1, 5, 40);
    claim(store, 'a', 'one', 1, 6, 20);
    expect(store.load(19).expiredLeases).toEqual([]);
    expect(store.load(20).expiredLeases.map((l) => l.taskId)).toEqual(['a', 'b']);
    expect(store.expireLeases(20).map((l) => l.owner)).toEqual(['one', 'two']);
    expect(store.load(20).tasks.map((t) => t.lease?.owner)).toEqual([
      undefined,
      undefined,
      'three',
    ]);
    expect(store.expireLeases(20)).toEqual([]);
  });

  it('a terminal record releases the task’s lease, and the ended task cannot be claimed', async () => {
    const store = await running(open);
    claim(store, 'a', 'one', 1, 5, 35);
    store.appendTask({ kind: 'task.completed', taskId: 'a', attempt: 1, output: 42, at: 9 });
    expect(store.load(9).tasks[0]?.lease).toBeUndefined();
    expect(() => claim(store, 'a', 'late', 2, 10, 40)).toThrow(TaskAlreadyTerminal);
  });

  it('a claim on a task never submitted is refused with the task named', async () => {
    const store = await running(open);
    expect(() => claim(store, 'ghost', 'one', 1, 5, 35)).toThrow(
      new InvalidStoreRecord('ghost', 'lease claimed on a task never submitted'),
    );
  });
});
