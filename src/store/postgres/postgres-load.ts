// Reads a PostgreSQL store whole, in one repeatable-read transaction, into what the store's
// in-memory mirror is filled with. Rows come back in the SQLite store's row shapes (JSON as
// text, numbers as numbers), so both stores share one reading and its corruption checks.
import type { Pool } from 'pg';
import { taskLines } from '../history-lines.js';
import type { MirrorContents } from '../memory-store.js';
import {
  agentRecordFromRow,
  type RecordRow,
  type TaskRow,
  taskFromRow,
  teamRunDataFromRow,
} from '../sqlite-rows.js';
import type { OwnerRow } from '../store-owner.js';
import { checkOut } from './checked-out.js';

export interface Loaded extends MirrorContents {
  readonly owner: OwnerRow | undefined;
}

/**
 * Tasks are read in pages of this many rows, each turned into the mirror's shape before the
 * next is asked for: the event loop gets a turn between pages, so a leader that takes over a
 * large store goes on renewing its lease while it reads (one read of it all kept the loop
 * for seconds, longer than a lease, and each new leader lost its lease to the next).
 */
export const LOAD_PAGE_ROWS = 5_000;

type LoadedTask = Loaded['tasks'][number];

/** Everything the store in `schema` holds. `q` names its tables. */
export async function loadPostgres(
  pool: Pool,
  q: (table: string) => string,
  pageRows = LOAD_PAGE_ROWS,
): Promise<Loaded> {
  const { client, release } = await checkOut(pool);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // A task's ends (and records written before schema 6) are rows of task_records, read
    // first; its other records are lines of its row's history. The mirror keeps them all as
    // lines, in seq order, unparsed until asked for (a takeover reads no task's history): an
    // end's body gets its outcome back from the row (schema 9 keeps it there only).
    const records = await client.query<RecordRow & { task_id: string }>(
      `SELECT seq::float8 AS seq, task_id, kind, v, body
       FROM ${q('task_records')} ORDER BY seq`,
    );
    const byTask = new Map<string, RecordRow[]>();
    for (const row of records.rows) {
      const list = byTask.get(row.task_id) ?? [];
      list.push(row);
      byTask.set(row.task_id, list);
    }
    const tasks: LoadedTask[] = [];
    for (let after = -1; ; ) {
      const page = await client.query<TaskRow & { history: string; history_seq: number }>(
        `SELECT t.seq::float8 AS seq, t.task_id, t.spec AS spec, t.submitted_at, t.state,
           t.attempt, t.agent_id, t.updated_at, t.retry_at, t.snapshot,
           t.outcome, t.finished_at, t.history, t.history_seq::float8 AS history_seq,
           l.owner AS lease_owner,
           l.attempt AS lease_attempt, l.claimed_at AS lease_claimed_at, l.until AS lease_until
         FROM ${q('tasks')} t LEFT JOIN ${q('leases')} l ON l.task_id = t.task_id
         WHERE t.seq > $1 ORDER BY t.seq LIMIT $2`,
        [after, pageRows],
      );
      for (const row of page.rows) {
        const ends = byTask.get(row.task_id) ?? [];
        const history = { text: row.history, lastSeq: row.history_seq };
        const lines = { ...taskLines(history, ends, row.outcome), table: 'tasks.history' };
        tasks.push(Object.assign(taskFromRow(row), { lines }));
      }
      const last = page.rows.at(-1);
      if (!last || page.rows.length < pageRows) break;
      after = last.seq;
    }
    const agents = await client.query<RecordRow>(
      `SELECT seq::float8 AS seq, kind, v, body FROM ${q('agent_records')}
       WHERE seq IN (SELECT max(seq) FROM ${q('agent_records')} GROUP BY agent_id) ORDER BY seq`,
    );
    const owner = await client.query<OwnerRow>(`SELECT holder, until FROM ${q('owner')}`);
    const mark = await client.query<{ seq: number }>(
      `SELECT record_seq::float8 AS seq FROM ${q('marks')}`,
    );
    const runs = await client.query<{ run_id: string; at: number; data: string }>(
      `SELECT run_id, at, data FROM ${q('team_runs')} ORDER BY saved`,
    );
    await client.query('COMMIT');
    return {
      tasks,
      agents: agents.rows.map(agentRecordFromRow),
      owner: owner.rows[0],
      recordSeq: mark.rows[0]?.seq ?? 0,
      teamRuns: runs.rows.map((row) => ({
        runId: row.run_id,
        at: row.at,
        data: teamRunDataFromRow(row.data, row.run_id),
      })),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    release();
  }
}
