// A batch's task writes, gathered and sent as ONE statement however many tasks the batch
// touched: its parts, set-based, are new tasks in one INSERT, changed ones in one UPDATE ...
// FROM unnest (their history lines appended), task ends in one INSERT into task_records,
// leases in one upsert and one DELETE, and ended tasks announced in a few notices (a JSON
// array of them each); finished tasks forgotten go in one statement before it. Only each
// task's and lease's final state in the batch is written; every part stays idempotent
// (keyed, absolute), so a batch can be sent again.
import { historyLine } from '../history-lines.js';
import type { Lease } from '../lease.js';
import { statusColumns } from '../sqlite-rows.js';
import { END_KINDS } from '../store-records.js';
import type { StoredTaskStatus } from '../stored-task.js';
import { noticePayloads } from './notice-payloads.js';
import { TERMINAL_KINDS } from './postgres-migrations.js';
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
  /** Finished tasks forgotten: their rows and end records go. */
  readonly #forgotten: string[] = [];
  /** The highest task record seq in the batch: the store's mark rises to it. */
  #lastRecordSeq = 0;

  get size(): number {
    const history = [...this.#history.values()].reduce((n, h) => n + h.last - h.first + 1, 0);
    return (
      this.#tasks.size +
      this.#records.length +
      history +
      this.#agentRecords.length +
      this.#leases.size +
      this.#forgotten.length
    );
  }

  task(taskId: string, row: TaskRow): void {
    const submitted = this.#tasks.get(taskId)?.submitted;
    // A task new in this batch stays new: its insert carries its latest status.
    this.#tasks.set(taskId, submitted && !row.submitted ? { ...row, submitted } : row);
  }

  /** A task's record: an end goes to task_records, any other to its row's history. */
  record(seq: number, taskId: string, kind: string, v: number, body: string): void {
    this.#lastRecordSeq = Math.max(this.#lastRecordSeq, seq);
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

  /**
   * A finished task is forgotten: its row and end record are deleted (only while its row
   * says it finished). Its end was committed in an earlier batch; any write of it still in
   * this one is dropped, so no statement writes a row another deletes.
   */
  forget(taskId: string): void {
    this.#tasks.delete(taskId);
    this.#history.delete(taskId);
    this.#leases.delete(taskId);
    this.#forgotten.push(taskId);
  }

  /** A task ended: its waiters hear it when the batch commits (`payload`: JSON). */
  ended(payload: string): void {
    this.#ended.push(payload);
  }

  /** The statements, given the store's table names and the ended-notice channel. */
  statements(q: (table: string) => string, endedChannel: string): SqlOp[] {
    const ops: SqlOp[] = [];
    const fresh: unknown[][] = [];
    const changed: unknown[][] = [];
    for (const [id, r] of this.#tasks) {
      const c = statusColumns(id, r.status);
      const history = this.#history.get(id);
      const lines = history?.lines ?? '';
      const last = history?.last ?? 0;
      const { state, attempt, agent_id, updated_at, retry_at, snapshot, outcome } = c;
      if (r.submitted) {
        const { spec, at, key } = r.submitted;
        // biome-ignore format: the columns in the statement's order
        fresh.push([r.seq, id, spec, at, state, attempt, agent_id, updated_at, retry_at, snapshot,
          outcome, c.finished_at, key, lines, last]);
      } else {
        // biome-ignore format: the columns in the statement's order
        changed.push([id, state, attempt, agent_id, updated_at, retry_at, snapshot, outcome,
          c.finished_at, lines, history?.first ?? 0, last]);
      }
    }
    if (fresh.length > 0)
      ops.push({
        text: `INSERT INTO ${q('tasks')} (seq, task_id, spec, submitted_at, state, attempt, agent_id,
            updated_at, retry_at, snapshot, outcome, finished_at, idempotency_key, history,
            history_seq)
          SELECT ${NEW_TASK}
          FROM jsonb_array_elements($1::jsonb) AS r
          ON CONFLICT (task_id) DO NOTHING`,
        values: [JSON.stringify(fresh)],
      });
    if (changed.length > 0)
      ops.push({
        // History is appended only past what the row holds (history_seq): sent twice after a
        // lost connection, the statement appends nothing twice.
        text: `UPDATE ${q('tasks')} t SET state = u.state, attempt = u.attempt, agent_id = u.agent_id,
            updated_at = u.updated_at, retry_at = u.retry_at, snapshot = u.snapshot,
            outcome = u.outcome, finished_at = u.finished_at,
            history = CASE WHEN u.first_seq > t.history_seq THEN t.history || u.lines ELSE t.history END,
            history_seq = GREATEST(t.history_seq, u.last_seq)
          FROM (SELECT ${CHANGED_TASK}
            FROM jsonb_array_elements($1::jsonb) AS r)
            AS u(task_id, state, attempt, agent_id, updated_at, retry_at, snapshot, outcome,
              finished_at, lines, first_seq, last_seq)
          WHERE t.task_id = u.task_id`,
        values: [JSON.stringify(changed)],
      });
    const records = (table: string, key: string, rows: readonly unknown[][]) => {
      if (rows.length === 0) return;
      ops.push({
        text: `INSERT INTO ${q(table)} (seq, ${key}, kind, v, body)
          SELECT ${RECORD}
          FROM jsonb_array_elements($1::jsonb) AS r
          ON CONFLICT (seq) DO NOTHING`,
        values: [JSON.stringify(rows)],
      });
    };
    records('task_records', 'task_id', this.#records);
    if (this.#lastRecordSeq > 0)
      ops.push({
        text: `UPDATE ${q('marks')} SET record_seq = GREATEST(record_seq, $1) WHERE id = 1`,
        values: [this.#lastRecordSeq],
      });
    records('agent_records', 'agent_id', this.#agentRecords);
    const kept: unknown[][] = [];
    const dropped: string[] = [];
    for (const [id, l] of this.#leases)
      if (l === null) dropped.push(id);
      else kept.push([l.taskId, l.owner, l.attempt, l.claimedAt, l.until]);
    if (dropped.length > 0)
      ops.push({
        text: `DELETE FROM ${q('leases')} WHERE task_id IN (
          SELECT jsonb_array_elements_text($1::jsonb))`,
        values: [JSON.stringify(dropped)],
      });
    if (kept.length > 0)
      ops.push({
        text: `INSERT INTO ${q('leases')} (task_id, owner, attempt, claimed_at, until)
          SELECT ${LEASE}
          FROM jsonb_array_elements($1::jsonb) AS r
          ON CONFLICT (task_id) DO UPDATE SET owner = excluded.owner, attempt = excluded.attempt,
            claimed_at = excluded.claimed_at, until = excluded.until`,
        values: [JSON.stringify(kept)],
      });
    // Forgotten tasks go in a statement of their own, first: their id may be taken again by a
    // task submitted in this batch, whose insert must not meet the old row (sibling CTEs
    // share one snapshot, in no set order). Its end, by the index that keeps one per task;
    // then its row, if it finished.
    const forgetting: SqlOp[] = [];
    if (this.#forgotten.length > 0) {
      const ids = 'SELECT jsonb_array_elements_text($1::jsonb)';
      const text = `WITH ends AS (DELETE FROM ${q('task_records')}
          WHERE kind IN ${TERMINAL_KINDS} AND task_id IN (${ids}))
        DELETE FROM ${q('tasks')} WHERE finished_at IS NOT NULL AND task_id IN (${ids})`;
      forgetting.push({
        text,
        name: statementName(text),
        values: [JSON.stringify(this.#forgotten)],
      });
    }
    const notices: SqlOp | undefined =
      this.#ended.length === 0
        ? undefined
        : {
            text: 'SELECT pg_notify($1, payload) FROM jsonb_array_elements_text($2::jsonb) AS payload',
            values: [endedChannel, JSON.stringify(noticePayloads(this.#ended))],
          };
    if (ops.length === 0 && !notices) return forgetting;
    const one = asOneStatement(ops, notices);
    return [...forgetting, { ...one, name: statementName(one.text) }];
  }
}

/** The status columns' types, in the order both task statements take them from `state` on. */
const STATUS = ['text', 'int', 'text', 'float8', 'float8', 'text', 'text', 'float8'];

/**
 * The select list that reads a part's rows, each a JSON array `r` of one row's columns in
 * order: element i as text, cast to its column's type (a JSON null is SQL NULL). A part's
 * rows travel as one JSON document: JSON.stringify encodes them natively, where array
 * parameters would be escaped element by element in JavaScript.
 */
function columns(types: readonly string[]): string {
  return types.map((type, i) => `(r->>${i})::${type}`).join(', ');
}

const NEW_TASK = columns(['bigint', 'text', 'text', 'float8', ...STATUS, 'text', 'text', 'bigint']);
const CHANGED_TASK = columns(['text', ...STATUS, 'text', 'bigint', 'bigint']);
const RECORD = columns(['bigint', 'text', 'text', 'int', 'text']);
const LEASE = columns(['text', 'text', 'int', 'float8', 'float8']);

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
