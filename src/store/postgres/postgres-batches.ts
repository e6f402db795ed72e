// The PostgreSQL store's writes: everything written in one event loop turn goes to the
// database in one transaction, committed after the turn, as the SQLite store's
// TurnTransaction does; `flush()` waits for the commit. Batches commit one at a time, in
// order; the turns written while one is in flight go together in the next (group commit). Every statement is idempotent (keyed inserts, absolute updates), so a batch whose
// connection broke is sent again whole, with backoff, until `retryForMs` runs out.
//
// Fencing: a batch written while the store holds the owner claim first reads the owner row
// FOR SHARE in the same transaction; when another holder has taken the store over, the
// batch is refused (StoreDeposed) and never retried. A takeover's update of that row waits for
// the batches that passed the check, so none of a deposed holder's writes lands after it.
import type { Pool } from 'pg';
import { StoreDeposed, StoreWriteFailed } from '../../errors/index.js';
import { type CheckedOut, checkOut } from './checked-out.js';
import { BulkWrites } from './postgres-bulk.js';
import type { SqlOp } from './sql-op.js';

export type { SqlOp } from './sql-op.js';

interface Batch {
  /** In the order written: statements, and runs of task writes gathered between them. */
  readonly ops: (SqlOp | BulkWrites)[];
  /** What `flush()` handed out for it: one promise, however many asked. */
  done?: { promise: Promise<void>; resolve(): void; reject(error: unknown): void };
  /** Called once it committed or failed, before the next batch is sent. */
  after?: (() => void)[];
}

export interface BatchSettings {
  readonly where: string;
  /** The owner row, quoted, for the fencing check. */
  readonly ownerTable: string;
  /** The leader row, quoted, and the lease every batch must still hold (supervisor failover). */
  readonly leader?: {
    readonly table: string;
    readonly holder: string;
    readonly epoch: number;
    /** The lease's length: a batch left open half as long (its process stalled) is ended. */
    readonly leaseMs?: number;
  };
  /** How long a batch is retried on connection errors before it fails, in ms. */
  readonly retryForMs: number;
  /** Names the store's tables, for the batch's set-based task writes. */
  readonly q: (table: string) => string;
  /** The channel ended tasks are announced on. */
  readonly endedChannel: string;
}

export class PostgresBatches {
  #open: Batch | undefined;
  #committing: Promise<void> = Promise.resolve();
  /** A transaction is on its way; the open batch waits for it. */
  #inFlight = false;
  #unreported: StoreWriteFailed | undefined;
  /** The holder whose claim every batch checks; undefined while the store has none. */
  fencedBy: string | undefined;
  /** Told once when a batch finds the store taken over. */
  onDeposed: ((holder: string | undefined) => void) | undefined;
  commits = 0;
  retries = 0;

  constructor(
    private readonly pool: Pool,
    private readonly settings: BatchSettings,
  ) {}

  /** Adds a statement to the turn's batch, after what was written before it. */
  write(op: SqlOp): void {
    this.#batch().ops.push(op);
  }

  /** Task writes (tasks, records, leases) since the last statement, sent set-based. */
  bulk(): BulkWrites {
    const { ops } = this.#batch();
    const last = ops.at(-1);
    if (last instanceof BulkWrites) return last;
    const bulk = new BulkWrites();
    ops.push(bulk);
    return bulk;
  }

  #batch(): Batch {
    let batch = this.#open;
    if (batch === undefined) {
      batch = { ops: [] };
      this.#open = batch;
      setImmediate(() => this.commit());
    }
    return batch;
  }

  /**
   * Calls `then` once the open batch (opened now if none is) committed or failed, before
   * the next is sent: for work spread over batches. Failures stay with `flush()`.
   */
  afterCommit(then: () => void): void {
    const batch = this.#batch();
    batch.after ??= [];
    batch.after.push(then);
  }

  /** Resolves once everything written before it is committed. */
  flush(): Promise<void> {
    const failure = this.#unreported;
    if (failure !== undefined) {
      this.#unreported = undefined;
      return Promise.reject(failure);
    }
    const batch = this.#open;
    if (batch === undefined) return this.#committing;
    if (!batch.done) {
      let settle: Pick<NonNullable<Batch['done']>, 'resolve' | 'reject'> | undefined;
      const promise = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      batch.done = { promise, ...(settle as NonNullable<typeof settle>) };
    }
    return batch.done.promise;
  }

  /**
   * Sends the open batch now, or, while one is in flight, once it is done: group commit.
   * The turns written meanwhile share one transaction, so under load transactions grow
   * instead of queueing, and a task that moved several times in them is written once.
   */
  commit(): void {
    const batch = this.#open;
    if (batch === undefined || this.#inFlight) return;
    this.#open = undefined;
    this.#inFlight = true;
    this.#committing = (async () => {
      try {
        await this.#send(batch, this.fencedBy);
        this.commits++;
        batch.done?.resolve();
      } catch (cause) {
        if (cause instanceof StoreDeposed) this.#deposed(cause.holder);
        const writes = batch.ops.reduce((n, o) => n + (o instanceof BulkWrites ? o.size : 1), 0);
        const error = new StoreWriteFailed(this.settings.where, writes, { cause });
        if (batch.done) batch.done.reject(error);
        else this.#unreported = error;
      } finally {
        this.#inFlight = false;
        for (const then of batch.after ?? []) then();
        this.commit();
      }
    })();
  }

  /** Later batches keep the fence, so they are refused too. */
  #deposed(holder: string | undefined): void {
    const tell = this.onDeposed;
    this.onDeposed = undefined;
    tell?.(holder);
  }

  async #send(batch: Batch, fence: string | undefined): Promise<void> {
    const deadline = Date.now() + this.settings.retryForMs;
    for (let wait = 50; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        return await this.#transaction(batch, fence);
      } catch (error) {
        if (!isConnectionError(error) || Date.now() + wait > deadline) throw error;
        this.retries++;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async #transaction(batch: Batch, fence: string | undefined): Promise<void> {
    let taken: CheckedOut | undefined;
    let broken: Error | undefined;
    try {
      taken = await checkOut(this.pool);
      const { client } = taken;
      // The opening in one round trip: begin, the idle limit, and the fences read FOR SHARE.
      // A process stalled inside a batch (stopped, swapped out) would hold the fence row's
      // lock, and with it any takeover: the server ends such a transaction instead.
      const { leader, ownerTable } = this.settings;
      const idle = Math.max(100, Math.round((leader?.leaseMs ?? 4_000) / 2));
      const fenced =
        fence !== undefined && !batch.ops.some((o) => !(o instanceof BulkWrites) && o.claims);
      const opening = [
        'BEGIN',
        `SET LOCAL idle_in_transaction_session_timeout = ${idle}`,
        ...(leader ? [`SELECT holder, epoch FROM ${leader.table} WHERE id = 1 FOR SHARE`] : []),
        ...(fenced ? [`SELECT holder FROM ${ownerTable} WHERE id = 1 FOR SHARE`] : []),
      ];
      const results = (await client.query(opening.join('; '))) as unknown as {
        rows: { holder?: string; epoch?: string }[];
      }[];
      if (leader) {
        const row = results[2]?.rows[0];
        if (row?.holder !== leader.holder || Number(row.epoch) !== leader.epoch)
          throw new StoreDeposed(row && `${row.holder} (epoch ${row.epoch})`);
      }
      if (fenced) {
        const holder = results.at(-1)?.rows[0]?.holder;
        if (holder !== fence) throw new StoreDeposed(holder);
      }
      const { q, endedChannel } = this.settings;
      const statements = batch.ops.flatMap((o) =>
        o instanceof BulkWrites ? o.statements(q, endedChannel) : [o],
      );
      for (const op of statements) {
        const result = await client.query({
          text: op.text,
          values: op.values as unknown[],
          ...(op.name === undefined ? {} : { name: op.name }),
        });
        if (op.mustAffect !== undefined && (result.rowCount ?? 0) === 0)
          throw new Error(op.mustAffect);
      }
      await client.query('COMMIT');
    } catch (error) {
      // A broken connection is dropped from the pool, not handed out again.
      if (isConnectionError(error)) broken = error as Error;
      else await taken?.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      taken?.release(broken);
    }
  }
}

/** Whether `error` is a lost or refused connection (worth a retry), not a refused write. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return /Connection terminated|connect/i.test(String(error));
  // Node socket errors, and PostgreSQL's connection exceptions (08...), admin shutdown (57P01),
  // crash shutdown (57P02), cannot connect now (57P03), a database not accepting connections
  // (55000) or too many of them (53300), as while it is restarted or maintained, and a
  // transaction the server ended for idling (25P03: its process stalled; sent again, the
  // fence decides).
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) ||
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03', '55000', '53300', '25P03'].includes(code)
  );
}
