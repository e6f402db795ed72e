// Forgotten tasks go to the database a slice per batch, so no one transaction deletes them
// all while holding the fence row a lease renewal waits on.
import { describe, expect, it } from 'vitest';
import { ForgetQueue } from '../../src/store/postgres/forget-queue.js';
import type { BulkWrites } from '../../src/store/postgres/postgres-bulk.js';

/** Batches that record what each forgets, committed by hand. */
function fakeBatches() {
  const batches: string[][] = [[]];
  let after: (() => void)[] = [];
  return {
    batches,
    bulk: () => ({ forget: (id: string) => batches.at(-1)?.push(id) }) as unknown as BulkWrites,
    afterCommit: (then: () => void) => after.push(then),
    /** The open batch commits: the next opens, and what waited on the commit runs. */
    commit() {
      batches.push([]);
      const run = after;
      after = [];
      for (const then of run) then();
    },
  };
}

describe('a forget queue', () => {
  it('hands each batch at most its slice, in the order forgotten, until none is left', () => {
    const fake = fakeBatches();
    const queue = new ForgetQueue(fake, 2);
    queue.add(['a', 'b', 'c']);
    queue.add(['d', 'e']);
    expect(fake.batches).toEqual([['a', 'b']]);
    fake.commit();
    fake.commit();
    fake.commit();
    fake.commit();
    expect(fake.batches).toEqual([['a', 'b'], ['c', 'd'], ['e'], [], []]);
    expect(queue.size).toBe(0);
  });

  it('deletes one still waiting in the batch that submits its id again', () => {
    const fake = fakeBatches();
    const queue = new ForgetQueue(fake, 2);
    queue.add(['a', 'b', 'c', 'd']);
    queue.resubmitted('d');
    queue.resubmitted('a'); // already handed to this batch: nothing more
    queue.resubmitted('x'); // never forgotten
    expect(fake.batches).toEqual([['a', 'b', 'd']]);
    fake.commit();
    fake.commit();
    expect(fake.batches).toEqual([['a', 'b', 'd'], ['c'], []]);
  });

  it('hands nothing more once stopped', () => {
    const fake = fakeBatches();
    const queue = new ForgetQueue(fake, 1);
    queue.add(['a', 'b', 'c']);
    queue.stop();
    fake.commit();
    expect(fake.batches).toEqual([['a'], []]);
    expect(queue.size).toBe(0);
  });
});
