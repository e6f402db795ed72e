// One SQLite transaction per event loop turn. The first write of a turn begins it and
// schedules its commit after the turn (setImmediate), so a burst of records costs one
// commit, and so one fsync, instead of one each. Each write runs in its own savepoint
// inside it, so a rejected write undoes only itself.
import type { Database, Statement } from 'better-sqlite3';
import { StoreWriteFailed } from '../errors/index.js';

interface Batch {
  writes: number;
  done: Promise<void> | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

export type Scheduler = (commit: () => void) => void;

export class TurnTransaction {
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  #batch: Batch | undefined;
  /** A failed commit nobody awaited; the next `flush()` reports it. */
  #unreported: StoreWriteFailed | undefined;
  /** Transactions committed so far. */
  commits = 0;

  constructor(
    private readonly db: Database,
    private readonly path: string,
    private readonly schedule: Scheduler = setImmediate,
  ) {
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  /** Runs `write` inside this turn's transaction; `write` should be a `db.transaction` function. */
  write<T>(write: () => T): T {
    const batch = this.#batch ?? this.#open();
    const result = write();
    batch.writes++;
    return result;
  }

  /** Resolves when the writes made so far are committed. */
  flush(): Promise<void> {
    const failure = this.#unreported;
    if (failure !== undefined) {
      this.#unreported = undefined;
      return Promise.reject(failure);
    }
    const batch = this.#batch;
    if (batch === undefined) return Promise.resolve();
    batch.done ??= new Promise<void>((resolve, reject) => {
      batch.resolve = resolve;
      batch.reject = reject;
    });
    return batch.done;
  }

  /** Commits the open transaction now, if there is one. */
  commit(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    try {
      this.#commit.run();
      this.commits++;
      batch.resolve();
    } catch (cause) {
      if (this.db.inTransaction) this.#rollback.run();
      const error = new StoreWriteFailed(this.path, batch.writes, { cause });
      if (batch.done === undefined) this.#unreported = error;
      else batch.reject(error);
    }
  }

  #open(): Batch {
    try {
      this.#begin.run();
    } catch (cause) {
      throw new StoreWriteFailed(this.path, 1, { cause });
    }
    const batch: Batch = { writes: 0, done: undefined, resolve: () => {}, reject: () => {} };
    this.#batch = batch;
    this.schedule(() => this.commit());
    return batch;
  }
}
