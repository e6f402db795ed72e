// A task of the cluster as its database holds it, for any process: where it is now (its
// row in `tasks`, or its submission still waiting for a leader) and its history (the
// records the leader wrote: submitted, each transition, its end). Read straight from the
// database, never from the leader's memory: so a task's progress, which only the leader
// hears, is not in it.
import type { Pool } from 'pg';
import { SubmissionRefused, UnknownTask } from '../errors/index.js';
import { historyRows, taskLines } from '../store/history-lines.js';
import { TERMINAL_KINDS } from '../store/postgres/postgres-migrations.js';
import {
  type RecordRow,
  type TaskRow,
  taskFromRow,
  taskRecordFromRow,
} from '../store/sqlite-rows.js';
import type { Stored, TaskLifecycleRecord } from '../store/store-records.js';
import type { TaskStatus } from '../tasks/task-record.js';

/**
 * A task the leader has taken in, as its row says: what `system.task(id)` says, less its
 * progress and start (which only the leader holds), with why it was cancelled, when its
 * state last changed and when a retrying task runs again.
 */
export interface RemoteTaskTaken extends Omit<TaskStatus, 'progress' | 'startedAt'> {
  readonly reason: string | undefined;
  readonly updatedAt: number;
  readonly retryAt: number | undefined;
}

/** Where a task of the cluster is now, as its database says. */
export type RemoteTaskStatus =
  | RemoteTaskTaken
  /** Submitted (durable), waiting for a leader to take it in. */
  | { readonly id: string; readonly state: 'submitted' };

type Q = (table: string) => string;

type Row = TaskRow & { history: string; history_seq: number };

/** A task as a client knows it: its id, and the idempotency key it was submitted with. */
export interface TaskRef {
  readonly id: string;
  readonly key: string | undefined;
}

const COLUMNS = `seq::float8 AS seq, task_id, spec, submitted_at, state, attempt, agent_id,
  updated_at, retry_at, snapshot, outcome, finished_at, history,
  history_seq::float8 AS history_seq, NULL AS lease_owner, NULL AS lease_attempt,
  NULL AS lease_claimed_at, NULL AS lease_until`;

/**
 * The task's row (by its id, else the first task of its idempotency key: a submission made
 * again with the key, after a reconnect say, is the first task), or why there is none: a
 * submission waiting (`submitted`), or SubmissionRefused, or UnknownTask (never submitted,
 * or forgotten past `retainFinished`).
 */
async function rowOf(pool: Pool, q: Q, ref: TaskRef): Promise<Row | 'submitted'> {
  const taskId = ref.id;
  const { rows } = await pool.query<Row & { waiting: boolean | null; refused: string | null }>(
    // Submissions (not indexed by task id: each goes once taken in) are looked at only
    // when the task has no row.
    `SELECT t.*,
       CASE WHEN t.task_id IS NULL THEN
         EXISTS (SELECT 1 FROM ${q('submissions')} WHERE task_id = $1) END AS waiting,
       CASE WHEN t.task_id IS NULL THEN
         (SELECT error FROM ${q('rejections')} WHERE task_id = $1) END AS refused
     FROM (SELECT 1) one LEFT JOIN LATERAL (
       SELECT * FROM (
         SELECT 0 AS pref, ${COLUMNS} FROM ${q('tasks')} WHERE task_id = $1
         UNION ALL
         (SELECT 1, ${COLUMNS} FROM ${q('tasks')}
          WHERE $2::text IS NOT NULL AND idempotency_key = $2 ORDER BY seq LIMIT 1)
       ) found ORDER BY pref LIMIT 1) t ON true`,
    [taskId, ref.key ?? null],
  );
  const row = rows[0];
  if (row?.task_id != null) return row;
  if (row?.waiting) return 'submitted';
  if (row?.refused != null) throw new SubmissionRefused(taskId, row.refused);
  throw new UnknownTask(taskId);
}

export async function readRemoteStatus(pool: Pool, q: Q, ref: TaskRef): Promise<RemoteTaskStatus> {
  const row = await rowOf(pool, q, ref);
  if (row === 'submitted') return { id: ref.id, state: 'submitted' };
  const task = taskFromRow(row);
  return {
    id: task.taskId,
    type: task.spec.type,
    qos: task.spec.qos,
    state: task.state,
    input: task.spec.input,
    attempts: task.attempt,
    agentId: task.agentId,
    output: task.output,
    error: task.error,
    reason: task.reason,
    submittedAt: task.submittedAt,
    updatedAt: task.updatedAt,
    retryAt: task.retryAt,
    finishedAt: task.finishedAt,
  };
}

/** The task's records, in order; none while its submission waits for a leader. */
export async function readRemoteHistory(
  pool: Pool,
  q: Q,
  ref: TaskRef,
): Promise<Stored<TaskLifecycleRecord>[]> {
  const row = await rowOf(pool, q, ref);
  if (row === 'submitted') return [];
  const taskId = row.task_id;
  // Its end is a row of task_records (found by the index that keeps ends one per task); a
  // store from before schema 6 may keep its first records there too: then its row's history
  // does not begin with its submission, and all its rows are read.
  const older = !row.history.includes('\ttask.submitted\t');
  const { rows } = await pool.query<RecordRow>(
    `SELECT seq::float8 AS seq, kind, v, body FROM ${q('task_records')}
     WHERE task_id = $1 ${older ? '' : `AND kind IN ${TERMINAL_KINDS}`} ORDER BY seq`,
    [taskId],
  );
  const lines = taskLines({ text: row.history, lastSeq: row.history_seq }, rows, row.outcome);
  const where = { table: 'tasks.history', key: `task_id=${taskId}` };
  return historyRows(lines.text, where, taskId, () => row.spec).map(taskRecordFromRow);
}
