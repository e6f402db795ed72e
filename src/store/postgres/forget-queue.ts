// Finished tasks the system forgets, deleted from the database a slice per batch. A first
// start on a store above `retainFinished` forgets the excess at once, perhaps hundreds of
// thousands of tasks: deleted in one transaction, that would hold the batch's fence row
// (the owner claim, or the leader lease) for as long, and the lease's renewal, an update of
// that row, would wait behind it until the lease ran out. So each batch takes at most
// FORGET_PER_BATCH of them, and the next batch the next slice. A forgotten task whose id is
// submitted again is deleted in that submission's batch, before its insert.
import type { PostgresBatches } from './postgres-batches.js';

/** How many forgotten tasks one batch deletes at most. */
export const FORGET_PER_BATCH = 2_000;

export class ForgetQueue {
  /** Forgotten, not yet handed to a batch: in the order forgotten. */
  readonly #waiting = new Set<string>();
  #draining = false;

  constructor(
    private readonly batches: Pick<PostgresBatches, 'bulk' | 'afterCommit'>,
    private readonly perBatch = FORGET_PER_BATCH,
  ) {}

  get size(): number {
    return this.#waiting.size;
  }

  add(taskIds: readonly string[]): void {
    for (const id of taskIds) this.#waiting.add(id);
    this.#drain();
  }

  /**
   * `taskId` is submitted again: if it waits to be deleted, it is deleted in this batch
   * (before the new task's insert, as the batch writes forgotten tasks first).
   */
  resubmitted(taskId: string): void {
    if (this.#waiting.delete(taskId)) this.batches.bulk().forget(taskId);
  }

  /** Hands nothing more to batches (the store closes): what waits stays for the next start. */
  stop(): void {
    this.#waiting.clear();
  }

  /** Hands the current batch its slice; once it commits, the next batch the next. */
  #drain(): void {
    if (this.#draining || this.#waiting.size === 0) return;
    this.#draining = true;
    const bulk = this.batches.bulk();
    let room = this.perBatch;
    for (const id of this.#waiting) {
      if (room-- === 0) break;
      this.#waiting.delete(id);
      bulk.forget(id);
    }
    this.batches.afterCommit(() => {
      this.#draining = false;
      this.#drain();
    });
  }
}
