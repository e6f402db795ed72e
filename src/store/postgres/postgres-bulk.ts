// A batch's task writes, gathered and sent as ONE statement however many tasks the batch
// touched: its parts, set-based, are new tasks in one INSERT, changed ones in one UPDATE ...
// FROM unnest (their history lines appended), task ends in one INSERT into task_records,
// leases in one upsert and one DELETE, and ended tasks announced in a few notices (a JSON
// array of them each). Only each task's and lease's final state in the batch is written;
// every part stays idempotent (keyed, absolute), so a batch can be sent again.
import type { Lease } from '../lease.js';
import { statusColumns } from '../sqlite-rows.js';
import type { StoredTaskStatus } from '../stored-task.js';
import { type SqlOp, statementName } from './sql-op.js';

interface TaskRow {
  readonly seq: number;
  /** Set when the task is new in this batch: its spec as JSON, and when it was submitted. */
  readonly submitted?: { readonly spec: string; readonly at: number; readonly key: string | null };
  readonly status: StoredTaskStatus;
}

export class BulkWrites {
  readonly #tasks = new Map<string, TaskRow>();
  /** Records that end a task: rows of task_records (its unique index keeps one per task). */
  readonly #records: [seq: number, taskId: string, kind: string, v: number, body: string][] = [];
  /** Every other record, as history lines for its task's row, with the seqs they span. */
  readonly #history = new Map<string, { first: number; last: number; lines: string }>();
  readonly #agentRecords: [seq: number, agentId: string, kind: string, v: number, body: string][] =
    [];
  /** Each lease's final state: a lease to keep, or null to drop. */
  readonly #leases = new Map<string, Lease | null>();
  /** Leases that did not exist before this batch touched them: none of their rows to drop. */
  readonly #newLeases = new Set<string>();
  readonly #ended: string[] = [];

  get size(): number {
    const history = [...this.#history.values()].reduce((n, h) => n + h.last - h.first + 1, 0);
    return (
      this.#tasks.size +
      this.#records.length +
      history +
      this.#agentRecords.length +
      this.#leases.size
    );
  }

  task(taskId: string, row: TaskRow): void {
    const before = this.#tasks.get(taskId);
    // A task new in this batch stays new: its insert carries its latest status.
    const submitted = row.submitted ?? before?.submitted;
    this.#tasks.set(taskId, { ...row, ...(submitted ? { submitted } : {}) });
  }

  /** A task's record: an end goes to task_records, any other to its row's history. */
  record(seq: number, taskId: string, kind: string, v: number, body: string): void {
    if (END_KINDS.has(kind)) {
      this.#records.push([seq, taskId, kind, v, body]);
      return;
    }
    const line = historyLine(seq, kind, v, body);
    const added = this.#history.get(taskId);
    if (added) {
      added.last = seq;
      added.lines += line;
    } else this.#history.set(taskId, { first: seq, last: seq, lines: line });
  }

  agentRecord(seq: number, agentId: string, kind: string, v: number, body: string): void {
    this.#agentRecords.push([seq, agentId, kind, v, body]);
  }

  /**
   * The lease on `taskId` is now `lease` (null: dropped). `existed`: whether it had one just
   * before; a lease made and dropped within one batch is never written at all.
   */
  lease(taskId: string, lease: Lease | null, existed: boolean): void {
    if (!this.#leases.has(taskId) && !existed) this.#newLeases.add(taskId);
    if (lease === null && this.#newLeases.has(taskId)) {
      this.#leases.delete(taskId);
      this.#newLeases.delete(taskId);
      return;
    }
    this.#leases.set(taskId, lease);
  }

  /** A task ended: its waiters hear it when the batch commits (`payload`: JSON). */
  ended(payload: string): void {
    this.#ended.push(payload);
  }

  /** The statements, given the store's table names and the ended-notice channel. */
  statements(q: (table: string) => string, endedChannel: string): SqlOp[] {
    const ops: SqlOp[] = [];
    const fresh = [...this.#tasks].filter(([, r]) => r.submitted);
    const changed = [...this.#tasks].filter(([, r]) => !r.submitted);
    const cols = (rows: [string, TaskRow][]) => rows.map(([id, r]) => statusColumns(id, r.status));
    if (fresh.length > 0) {
      const c = cols(fresh);
      ops.push({
        text: `INSERT INTO ${q('tasks')} (seq, task_id, spec, submitted_at, state, attempt, agent_id,
            updated_at, retry_at, snapshot, outcome, finished_at, idempotency_key, history,
            history_seq)
          SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[], $5::text[],
            $6::int[], $7::text[], $8::float8[], $9::float8[], $10::text[], $11::text[],
            $12::float8[], $13::text[], $14::text[], $15::bigint[])
          ON CONFLICT (task_id) DO NOTHING`,
        values: [
          fresh.map(([, r]) => r.seq),
          fresh.map(([id]) => id),
          fresh.map(([, r]) => r.submitted?.spec),
          fresh.map(([, r]) => r.submitted?.at),
          ...statusArrays(c),
          fresh.map(([, r]) => r.submitted?.key ?? null),
          fresh.map(([id]) => this.#history.get(id)?.lines ?? ''),
          fresh.map(([id]) => this.#history.get(id)?.last ?? 0),
        ],
      });
    }
    if (changed.length > 0)
      ops.push({
        // History is appended only past what the row holds (history_seq): sent twice after a
        // lost connection, the statement appends nothing twice.
        text: `UPDATE ${q('tasks')} t SET state = u.state, attempt = u.attempt, agent_id = u.agent_id,
            updated_at = u.updated_at, retry_at = u.retry_at, snapshot = u.snapshot,
            outcome = u.outcome, finished_at = u.finished_at,
            history = CASE WHEN u.first_seq > t.history_seq THEN t.history || u.lines ELSE t.history END,
            history_seq = GREATEST(t.history_seq, u.last_seq)
          FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::float8[], $6::float8[],
            $7::text[], $8::text[], $9::float8[], $10::text[], $11::bigint[], $12::bigint[])
            AS u(task_id, state, attempt, agent_id, updated_at, retry_at, snapshot, outcome,
              finished_at, lines, first_seq, last_seq)
          WHERE t.task_id = u.task_id`,
        values: [
          changed.map(([id]) => id),
          ...statusArrays(cols(changed)),
          changed.map(([id]) => this.#history.get(id)?.lines ?? ''),
          changed.map(([id]) => this.#history.get(id)?.first ?? 0),
          changed.map(([id]) => this.#history.get(id)?.last ?? 0),
        ],
      });
    const records = (table: string, key: string, rows: readonly unknown[][]) => {
      if (rows.length === 0) return;
      ops.push({
        text: `INSERT INTO ${q(table)} (seq, ${key}, kind, v, body)
          SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[])
          ON CONFLICT (seq) DO NOTHING`,
        values: [0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i])),
      });
    };
    records('task_records', 'task_id', this.#records);
    records('agent_records', 'agent_id', this.#agentRecords);
    const kept = [...this.#leases.values()].filter((l): l is Lease => l !== null);
    const dropped = [...this.#leases].filter(([, l]) => l === null).map(([id]) => id);
    if (dropped.length > 0)
      ops.push({ text: `DELETE FROM ${q('leases')} WHERE task_id = ANY($1)`, values: [dropped] });
    if (kept.length > 0)
      ops.push({
        text: `INSERT INTO ${q('leases')} (task_id, owner, attempt, claimed_at, until)
          SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::float8[])
          ON CONFLICT (task_id) DO UPDATE SET owner = excluded.owner, attempt = excluded.attempt,
            claimed_at = excluded.claimed_at, until = excluded.until`,
        values: [
          kept.map((l) => l.taskId),
          kept.map((l) => l.owner),
          kept.map((l) => l.attempt),
          kept.map((l) => l.claimedAt),
          kept.map((l) => l.until),
        ],
      });
    const notices: SqlOp | undefined =
      this.#ended.length === 0
        ? undefined
        : {
            text: 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload',
            values: [endedChannel, noticesOf(this.#ended)],
          };
    if (ops.length === 0 && !notices) return [];
    const one = asOneStatement(ops, notices);
    return [{ ...one, name: statementName(one.text) }];
  }
}

/**
 * The writes as data-modifying CTEs of one statement, the notices its query: one round trip
 * for all of a batch's task writes. They touch disjoint rows (new tasks are inserted, others
 * updated; a lease is kept or dropped), so running them on one snapshot changes nothing.
 */
function asOneStatement(writes: readonly SqlOp[], notices: SqlOp | undefined): SqlOp {
  const values: unknown[] = [];
  const placed = (op: SqlOp) => {
    const offset = values.length;
    values.push(...op.values);
    return op.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  };
  const ctes = writes.map((op, i) => `w${i} AS (${placed(op)})`);
  const query = notices ? placed(notices) : 'SELECT 1';
  return { text: ctes.length === 0 ? query : `WITH ${ctes.join(',\n')}\n${query}`, values };
}

/** The record kinds that end a task (task_records' unique index allows one per task). */
const END_KINDS: ReadonlySet<string> = new Set(['task.completed', 'task.failed', 'task.cancelled']);

/**
 * One record as a line of its task row's history: seq, kind, v and body, tab-separated
 * (JSON text holds no raw tab or newline), ended by a newline. Read by `historyRecords`.
 */
function historyLine(seq: number, kind: string, v: number, body: string): string {
  return `${seq}\t${kind}\t${v}\t${body}\n`;
}

/** A notice's payload stays under PostgreSQL's limit (8,000 bytes) with room to spare. */
const NOTICE_BYTES = 7_000;

/** Ended tasks' JSON objects packed into JSON arrays, each one notice's payload. */
function noticesOf(ended: readonly string[]): string[] {
  const notices: string[] = [];
  let run: string[] = [];
  let bytes = 2;
  for (const one of ended) {
    const size = Buffer.byteLength(one) + 1;
    if (run.length > 0 && bytes + size > NOTICE_BYTES) {
      notices.push(`[${run.join(',')}]`);
      run = [];
      bytes = 2;
    }
    run.push(one);
    bytes += size;
  }
  if (run.length > 0) notices.push(`[${run.join(',')}]`);
  return notices;
}

/** The status columns as arrays, in the order both statements take them from `state` on. */
function statusArrays(c: ReturnType<typeof statusColumns>[]): unknown[][] {
  return [
    c.map((r) => r.state),
    c.map((r) => r.attempt),
    c.map((r) => r.agent_id),
    c.map((r) => r.updated_at),
    c.map((r) => r.retry_at),
    c.map((r) => r.snapshot),
    c.map((r) => r.outcome),
    c.map((r) => r.finished_at),
  ];
}
