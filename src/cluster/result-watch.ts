// A cluster client's waits for results, read together: every `result()` waiting to be
// checked (just asked for, woken by the leader's notice that its task ended, or due at the
// poll) is read in one statement with the others, up to RESULTS_PER_READ a statement. One
// statement per waiting result made a client that waits on many tasks send thousands of
// reads a second (one per task per poll), each scanning the submissions still pending, and
// slowed the whole cluster it waited on.
import type pg from 'pg';
import type { TaskError } from '../../machines/task-error.js';
import { SubmissionRefused, TaskCancelled, TaskFailed, UnknownTask } from '../errors/index.js';

/** The most results one statement reads. */
export const RESULTS_PER_READ = 1_000;

interface Waiter {
  readonly id: string;
  readonly key: string | undefined;
  /** The task whose ended notice wakes it: its own, or the one its idempotency key found. */
  watched: string;
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

interface Row {
  n: number;
  task_id: string | null;
  state: string | null;
  attempt: number | null;
  outcome: string | null;
  refused: string | null;
  pending: boolean;
}

type Outcome =
  | { readonly done: true; readonly output?: unknown; readonly error?: Error }
  | { readonly done: false; readonly watched: string };

export class ResultWatch {
  readonly #byTask = new Map<string, Set<Waiter>>();
  readonly #due = new Set<Waiter>();
  /** The read in flight, and when its statement was sent. */
  #current: { since: number } | undefined;
  #closed = false;
  readonly #timer: NodeJS.Timeout;
  readonly #text: string;

  /**
   * `q` names the store's tables; every `pollMs` each waiting result is read again. A read
   * whose statement has had no answer for `stuckMs` (a connection gone half-open, say) no
   * longer holds the others up: the next poll reads beside it.
   */
  constructor(
    private readonly pool: pg.Pool,
    q: (table: string) => string,
    pollMs: number,
    private readonly stuckMs = Math.max(10_000, 10 * pollMs),
  ) {
    // One statement, so one snapshot: a submission is in exactly one of the submissions (not
    // yet taken in), the tasks or the rejections, or in none once its finished task was
    // forgotten (the leader's `retainFinished`), which is UnknownTask, not a wait forever.
    this.#text = `WITH w AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS w(n int, id text, key text)),
      -- By id or by key, each by its own index (an OR of the two scans the table), the
      -- earliest task found for each.
      found AS (
        SELECT w.n, t.seq, t.task_id, t.state, t.attempt, t.outcome
        FROM w JOIN ${q('tasks')} t ON t.task_id = w.id
        UNION ALL
        SELECT w.n, t.seq, t.task_id, t.state, t.attempt, t.outcome
        FROM w JOIN ${q('tasks')} t ON w.key IS NOT NULL AND t.idempotency_key = w.key),
      first AS (SELECT DISTINCT ON (n) * FROM found ORDER BY n, seq),
      pending AS (SELECT DISTINCT s.task_id FROM ${q('submissions')} s JOIN w ON s.task_id = w.id)
      SELECT w.n, f.task_id, f.state, f.attempt, f.outcome, r.error AS refused,
        p.task_id IS NOT NULL AS pending
      FROM w LEFT JOIN first f ON f.n = w.n
        LEFT JOIN ${q('rejections')} r ON r.task_id = w.id
        LEFT JOIN pending p ON p.task_id = w.id`;
    this.#timer = setInterval(() => {
      for (const waiters of this.#byTask.values()) for (const w of waiters) this.#due.add(w);
      const current = this.#current;
      this.#schedule(current !== undefined && Date.now() - current.since >= this.stuckMs);
    }, pollMs);
    this.#timer.unref();
  }

  /** The outcome of task `id` (submitted with idempotency key `key`), once it has one. */
  result(id: string, key: string | undefined): Promise<unknown> {
    if (this.#closed)
      return Promise.reject(new Error(`the cluster client closed before task ${id} ended`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { id, key, watched: id, resolve, reject };
      this.#watch(waiter);
      this.#due.add(waiter);
      this.#schedule();
    });
  }

  /** The leader said `taskId` ended: its waiters are read at once. */
  ended(taskId: string): void {
    const waiters = this.#byTask.get(taskId);
    if (!waiters) return;
    for (const w of waiters) this.#due.add(w);
    this.#schedule();
  }

  /** Every waiting result rejects: the client closed before its task ended. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const waiters of this.#byTask.values())
      for (const w of waiters)
        w.reject(new Error(`the cluster client closed before task ${w.id} ended`));
    this.#byTask.clear();
    this.#due.clear();
  }

  #watch(waiter: Waiter): void {
    const waiters = this.#byTask.get(waiter.watched) ?? new Set();
    waiters.add(waiter);
    this.#byTask.set(waiter.watched, waiters);
  }

  #unwatch(waiter: Waiter): void {
    const waiters = this.#byTask.get(waiter.watched);
    waiters?.delete(waiter);
    if (waiters?.size === 0) this.#byTask.delete(waiter.watched);
  }

  /** Starts a read, unless one is in flight (`beside`: even then). */
  #schedule(beside = false): void {
    if ((this.#current && !beside) || this.#due.size === 0) return;
    const current = { since: Date.now() };
    this.#current = current;
    // The rest of this turn's results join the read.
    queueMicrotask(() => void this.#read(current));
  }

  async #read(current: { since: number }): Promise<void> {
    try {
      while (this.#due.size > 0 && !this.#closed && this.#current === current) {
        current.since = Date.now();
        const batch: Waiter[] = [];
        for (const w of this.#due) {
          if (batch.length === RESULTS_PER_READ) break;
          batch.push(w);
        }
        for (const w of batch) this.#due.delete(w);
        const wanted = batch.map((w, n) => ({ n, id: w.id, key: w.key ?? null }));
        const rows = await this.pool
          .query<Row>(this.#text, [JSON.stringify(wanted)])
          .then((r) => r.rows)
          // The database is unreachable: the next poll reads again.
          .catch(() => []);
        for (const row of rows) {
          const waiter = batch[row.n];
          // Settled meanwhile (by a read beside this one, or the client closed): left alone.
          if (!waiter || !this.#byTask.get(waiter.watched)?.has(waiter)) continue;
          const outcome = outcomeOf(waiter.id, row);
          if (outcome.done) {
            this.#unwatch(waiter);
            if (outcome.error) waiter.reject(outcome.error);
            else waiter.resolve(outcome.output);
          } else if (outcome.watched !== waiter.watched) {
            this.#unwatch(waiter);
            waiter.watched = outcome.watched;
            this.#watch(waiter);
          }
        }
      }
    } finally {
      // A read left behind as stuck that answers at last still settled its waiters above.
      if (this.#current === current) {
        this.#current = undefined;
        this.#schedule();
      }
    }
  }
}

/** What a row says of the task a client submitted as `id`. */
function outcomeOf(id: string, row: Row): Outcome {
  if (row.task_id) {
    const o = (row.outcome === null ? {} : JSON.parse(row.outcome)) as {
      output?: unknown;
      error?: TaskError;
      reason?: string;
    };
    if (row.state === 'completed') return { done: true, output: o.output };
    if (row.state === 'failed')
      return {
        done: true,
        error: new TaskFailed(row.task_id, o.error as TaskError, row.attempt ?? 0),
      };
    if (row.state === 'cancelled')
      return { done: true, error: new TaskCancelled(row.task_id, o.reason ?? 'cancelled') };
    return { done: false, watched: row.task_id };
  }
  if (row.refused != null) return { done: true, error: new SubmissionRefused(id, row.refused) };
  if (row.pending) return { done: false, watched: id };
  return { done: true, error: new UnknownTask(id) };
}
