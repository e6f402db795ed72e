// Reads a PostgreSQL store whole, in one repeatable-read transaction, into what the store's
// in-memory mirror is filled with. Rows come back in the SQLite store's row shapes (JSON as
// text, numbers as numbers), so both stores share one reading and its corruption checks.
import type { Pool } from 'pg';
import { CorruptStoreRecord } from '../../errors/index.js';
import type { MirrorContents } from '../memory-store.js';
import {
  agentRecordFromRow,
  type RecordRow,
  type TaskRow,
  taskFromRow,
  taskRecordFromRow,
  teamRunDataFromRow,
} from '../sqlite-rows.js';
import type { OwnerRow } from '../store-owner.js';
import { checkOut } from './checked-out.js';

export interface Loaded extends MirrorContents {
  readonly owner: OwnerRow | undefined;
}

/** Everything the store in `schema` holds. `q` names its tables. */
export async function loadPostgres(pool: Pool, q: (table: string) => string): Promise<Loaded> {
  const { client, release } = await checkOut(pool);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tasks = await client.query<TaskRow & { history: string }>(
      `SELECT t.seq::float8 AS seq, t.task_id, t.spec AS spec, t.submitted_at, t.state,
         t.attempt, t.agent_id, t.updated_at, t.retry_at, t.snapshot,
         t.outcome, t.finished_at, t.history, l.owner AS lease_owner,
         l.attempt AS lease_attempt, l.claimed_at AS lease_claimed_at, l.until AS lease_until
       FROM ${q('tasks')} t LEFT JOIN ${q('leases')} l ON l.task_id = t.task_id ORDER BY t.seq`,
    );
    const records = await client.query<RecordRow & { task_id: string }>(
      `SELECT seq::float8 AS seq, task_id, kind, v, body
       FROM ${q('task_records')} ORDER BY seq`,
    );
    const agents = await client.query<RecordRow>(
      `SELECT seq::float8 AS seq, kind, v, body FROM ${q('agent_records')}
       WHERE seq IN (SELECT max(seq) FROM ${q('agent_records')} GROUP BY agent_id) ORDER BY seq`,
    );
    const owner = await client.query<OwnerRow>(`SELECT holder, until FROM ${q('owner')}`);
    const runs = await client.query<{ run_id: string; at: number; data: string }>(
      `SELECT run_id, at, data FROM ${q('team_runs')} ORDER BY saved`,
    );
    await client.query('COMMIT');
    // A task's ends (and records written before schema 6) are rows of task_records; its
    // other records are lines of its row's history: together, in seq order.
    const byTask = new Map<string, ReturnType<typeof taskRecordFromRow>[]>();
    for (const row of records.rows) {
      const list = byTask.get(row.task_id) ?? [];
      list.push(taskRecordFromRow(row));
      byTask.set(row.task_id, list);
    }
    return {
      tasks: tasks.rows.map(({ history, ...row }) => {
        const rows = byTask.get(row.task_id) ?? [];
        const kept = historyRows(history, row.task_id, row.spec).map(taskRecordFromRow);
        const merged = kept.length === 0 ? rows : [...kept, ...rows].sort((a, b) => a.seq - b.seq);
        return { ...taskFromRow(row), records: merged };
      }),
      agents: agents.rows.map(agentRecordFromRow),
      owner: owner.rows[0],
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

/**
 * The records in a task row's history: lines of seq, kind, v and body, tab-separated. A
 * submitted record's body was written without its spec (schema 7; the row's spec column
 * holds it) and gets it back here; one written with it (schema 6) keeps its own, the later
 * of the two equal keys.
 */
function historyRows(history: string, taskId: string, spec: string): RecordRow[] {
  const rows: RecordRow[] = [];
  for (const line of history.split('\n')) {
    if (line === '') continue;
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    const c = line.indexOf('\t', b + 1);
    if (a < 0 || b < 0 || c < 0)
      throw new CorruptStoreRecord(
        'tasks.history',
        `task_id=${taskId}`,
        `line ${JSON.stringify(line.slice(0, 80))} is not seq, kind, v and body`,
      );
    rows.push({
      seq: Number(line.slice(0, a)),
      kind: line.slice(a + 1, b),
      v: Number(line.slice(b + 1, c)),
      body: withSpec(line.slice(a + 1, b), line.slice(c + 1), spec),
    });
  }
  return rows;
}

function withSpec(kind: string, body: string, spec: string): string {
  return kind === 'task.submitted' && body.startsWith('{"')
    ? `{"spec":${spec},${body.slice(1)}`
    : body;
}
