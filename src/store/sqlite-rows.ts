// Rows of the SQLite store to and from records. Reading checks every row, so corrupt or
// foreign data is reported with its table and key instead of being misread.

import type { TaskError } from '../../machines/task-error.js';
import { TASK_STATES } from '../../machines/task-states.js';
import { CorruptStoreRecord, InvalidStoreRecord, RecordShapeError } from '../errors/index.js';
import type { TaskState } from '../tasks/task-record.js';
import type { Lease } from './lease.js';
import { readAgentRecord, readTaskRecord, storedSpecOf } from './record-shapes.js';
import { sharedSpec, sharedText } from './shared-values.js';
import {
  type AgentLifecycleRecord,
  STORE_RECORD_VERSION,
  type Stored,
  type TaskLifecycleRecord,
} from './store-records.js';
import type { StoredTask, StoredTaskStatus } from './stored-task.js';

export interface TaskRow {
  seq: number;
  task_id: string;
  spec: string;
  submitted_at: number;
  state: string;
  attempt: number;
  agent_id: string | null;
  updated_at: number;
  retry_at: number | null;
  snapshot: string | null;
  outcome: string | null;
  finished_at: number | null;
  lease_owner: string | null;
  lease_attempt: number | null;
  lease_claimed_at: number | null;
  lease_until: number | null;
}

export interface LeaseRow {
  task_id: string;
  owner: string;
  attempt: number;
  claimed_at: number;
  until: number;
}

export interface RecordRow {
  seq: number;
  kind: string;
  v: number;
  body: string;
}

const STATES: readonly string[] = TASK_STATES;

/** `value` as JSON text; InvalidStoreRecord naming `subject` when it has no JSON form. */
export function toJson(value: unknown, subject: string, field: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidStoreRecord(subject, `${field} is not JSON-serializable: ${why}`, { cause });
  }
}

/** The columns a status is stored in, for the `status` statements. */
export function statusColumns(taskId: string, status: StoredTaskStatus) {
  const { output, error, reason } = status;
  const outcome =
    output === undefined && error === undefined && reason === undefined
      ? null
      : toJson({ output, error, reason }, taskId, 'output');
  return {
    task_id: taskId,
    state: status.state,
    attempt: status.attempt,
    agent_id: status.agentId ?? null,
    updated_at: status.updatedAt,
    retry_at: status.retryAt ?? null,
    snapshot: status.snapshot === undefined ? null : toJson(status.snapshot, taskId, 'snapshot'),
    outcome,
    finished_at: status.finishedAt ?? null,
  };
}

/** A team run's saved data, read back: CorruptStoreRecord when it is not JSON. */
export const teamRunDataFromRow = (text: string, runId: string) =>
  parsed(text, 'team_runs', runId, 'data');

function parsed(text: string, table: string, key: string, column: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CorruptStoreRecord(table, key, `${column} is not valid JSON`, { cause });
  }
}

function checked<T>(table: string, key: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (!(cause instanceof RecordShapeError)) throw cause;
    throw new CorruptStoreRecord(table, key, cause.message, { cause });
  }
}

export function leaseFromRow(row: LeaseRow): Lease {
  const { task_id: taskId, owner, attempt, claimed_at: claimedAt, until } = row;
  return { taskId, owner, attempt, claimedAt, until };
}

interface Outcome {
  readonly output?: unknown;
  readonly error?: TaskError;
  readonly reason?: string;
}

function outcomeOf(text: string, key: string): Outcome {
  const value = parsed(text, 'tasks', key, 'outcome');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptStoreRecord('tasks', key, 'outcome must be an object');
  }
  return value;
}

export function taskFromRow(row: TaskRow): StoredTask {
  const key = `task_id=${row.task_id}`;
  if (!STATES.includes(row.state)) {
    throw new CorruptStoreRecord('tasks', key, `unknown state ${JSON.stringify(row.state)}`);
  }
  const spec = sharedSpec(
    checked('tasks', key, () => storedSpecOf(parsed(row.spec, 'tasks', key, 'spec'))),
  );
  const outcome = row.outcome === null ? {} : outcomeOf(row.outcome, key);
  return {
    // One copy of the id (its spec's), of its state and of its agent's id (shared-values.ts).
    taskId: spec.id === row.task_id ? spec.id : row.task_id,
    seq: row.seq,
    spec,
    submittedAt: row.submitted_at,
    state: sharedText(row.state) as TaskState,
    attempt: row.attempt,
    agentId: sharedText(row.agent_id ?? undefined),
    updatedAt: row.updated_at,
    retryAt: row.retry_at ?? undefined,
    snapshot: row.snapshot === null ? undefined : parsed(row.snapshot, 'tasks', key, 'snapshot'),
    output: outcome.output,
    error: outcome.error,
    reason: outcome.reason,
    finishedAt: row.finished_at ?? undefined,
    lease:
      row.lease_owner === null
        ? undefined
        : leaseFromRow({
            task_id: row.task_id,
            owner: row.lease_owner,
            attempt: row.lease_attempt ?? 0,
            claimed_at: row.lease_claimed_at ?? 0,
            until: row.lease_until ?? 0,
          }),
  };
}

function recordFromRow<R extends { kind: string }>(
  table: string,
  row: RecordRow,
  read: (value: unknown) => R,
): Stored<R> {
  const key = `seq=${row.seq}`;
  if (row.v > STORE_RECORD_VERSION) {
    throw new CorruptStoreRecord(
      table,
      key,
      `written by store schema version ${row.v}, newer than ${STORE_RECORD_VERSION}`,
    );
  }
  const record = checked(table, key, () => read(parsed(row.body, table, key, 'body')));
  if (record.kind !== row.kind) {
    throw new CorruptStoreRecord(table, key, `kind ${row.kind} differs from body ${record.kind}`);
  }
  return { ...record, seq: row.seq, v: row.v };
}

export const taskRecordFromRow = (row: RecordRow): Stored<TaskLifecycleRecord> =>
  recordFromRow('task_records', row, readTaskRecord);

export const agentRecordFromRow = (row: RecordRow): Stored<AgentLifecycleRecord> =>
  recordFromRow('agent_records', row, readAgentRecord);
