// A client's submissions go to the database in groups: the submits made while a group's
// transaction is in flight (or in the same turn of the event loop) share the next one, one
// INSERT of all their rows and one wake-up for the leader, and each resolves once its group
// committed, so `submit` is still durable when it resolves. One transaction per submit, with
// its wake-up (a NOTIFY) in a second one, made a busy client's commits queue one by one
// behind PostgreSQL's lock on the notification queue, the leader's batches among them: a
// client submitting while the leader ran halved what the cluster did. A batch's rows
// (`submitMany`) are never split between groups: the leader reads them whole.
import type pg from 'pg';

/** The most submissions one group's statement carries (a larger batch goes alone). */
export const SUBMISSION_GROUP = 1_000;

/** A submission's row: its task id and its spec as JSON. */
export interface SubmissionRow {
  readonly taskId: string;
  readonly spec: string;
}

interface Pending {
  readonly rows: readonly SubmissionRow[];
  /** The batch the rows make, written with each (null: a single submission). */
  readonly batch: string | null;
  resolve(): void;
  reject(error: unknown): void;
}

export class SubmissionWriter {
  readonly #queue: Pending[] = [];
  /** The writing in flight: which one, and when its statement was sent. */
  #current: { since: number } | undefined;
  readonly #text: string;

  /**
   * `submissions`: the table's qualified name; `wake`: the channel the leader listens on.
   * A group whose statement has had no answer for `stuckMs` (a connection gone half-open,
   * say) no longer holds the next ones up: they are written beside it, on another
   * connection, while its own submits wait on (their outcome unknown, never reported).
   */
  constructor(
    private readonly pool: pg.Pool,
    submissions: string,
    private readonly wake: string,
    private readonly stuckMs = 10_000,
  ) {
    // The insert runs whether or not the query reads it (a data-modifying WITH); the notice
    // goes out when the transaction commits, after its rows are there to be read.
    this.#text = `WITH written AS (
        INSERT INTO ${submissions} (task_id, spec, batch)
        SELECT r->>0, r->>1, r->>2 FROM jsonb_array_elements($1::jsonb) AS r)
      SELECT pg_notify($2, '')`;
  }

  /** Resolves once the submission of `taskId` (its spec as JSON) is committed. */
  write(taskId: string, spec: string): Promise<void> {
    return this.#enqueue([{ taskId, spec }], null);
  }

  /** Resolves once every row of batch `batch` is committed, all in one transaction. */
  writeBatch(rows: readonly SubmissionRow[], batch: string): Promise<void> {
    return this.#enqueue(rows, batch);
  }

  #enqueue(rows: readonly SubmissionRow[], batch: string | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ rows, batch, resolve, reject });
      const current = this.#current;
      if (current && Date.now() - current.since < this.stuckMs) return;
      const next = { since: Date.now() };
      this.#current = next;
      // The rest of this turn's submits join the first group.
      queueMicrotask(() => void this.#drain(next));
    });
  }

  async #drain(current: { since: number }): Promise<void> {
    try {
      while (this.#queue.length > 0 && this.#current === current) {
        current.since = Date.now();
        const group = this.#nextGroup();
        const rows = group.flatMap((p) => p.rows.map((r) => [r.taskId, r.spec, p.batch]));
        try {
          await this.pool.query(this.#text, [JSON.stringify(rows), this.wake]);
          for (const p of group) p.resolve();
        } catch (error) {
          for (const p of group) p.reject(error);
        }
      }
    } finally {
      if (this.#current === current) this.#current = undefined;
    }
  }

  /** The submissions next in line, up to SUBMISSION_GROUP rows (at least the first whole). */
  #nextGroup(): Pending[] {
    let rows = 0;
    let take = 0;
    for (const pending of this.#queue) {
      if (take > 0 && rows + pending.rows.length > SUBMISSION_GROUP) break;
      rows += pending.rows.length;
      take++;
    }
    return this.#queue.splice(0, take);
  }
}
