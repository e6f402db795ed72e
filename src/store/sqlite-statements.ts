// Every statement the SQLite store runs, prepared once when it opens.
import type { Database, Statement } from 'better-sqlite3';

const TASK_COLUMNS = `t.seq, t.task_id, t.spec, t.submitted_at, t.state, t.attempt, t.agent_id,
  t.updated_at, t.retry_at, t.snapshot, t.outcome, t.finished_at,
  l.owner AS lease_owner, l.attempt AS lease_attempt, l.claimed_at AS lease_claimed_at,
  l.until AS lease_until`;

const TERMINAL_RECORDS_BEFORE_LAST = `task_id IN (SELECT task_id FROM tasks WHERE finished_at IS NOT NULL)
  AND seq < (SELECT max(r.seq) FROM task_records r WHERE r.task_id = task_records.task_id)`;

const SQL = {
  stateOf: 'SELECT state FROM tasks WHERE task_id = ?',
  insertTask: `INSERT INTO tasks (task_id, spec, submitted_at, state, attempt, agent_id,
      updated_at, retry_at, snapshot, outcome, finished_at) VALUES (@task_id, @spec,
      @submitted_at, @state, @attempt, @agent_id, @updated_at, @retry_at, @snapshot, @outcome,
      @finished_at)`,
  updateStatus: `UPDATE tasks SET state = @state, attempt = @attempt,
      agent_id = @agent_id, updated_at = @updated_at, retry_at = @retry_at,
      snapshot = @snapshot, outcome = @outcome, finished_at = @finished_at
      WHERE task_id = @task_id`,
  insertTaskRecord: 'INSERT INTO task_records (task_id, kind, v, body) VALUES (?, ?, ?, ?)',
  insertAgentRecord: 'INSERT INTO agent_records (agent_id, kind, v, body) VALUES (?, ?, ?, ?)',
  leaseOf: 'SELECT task_id, owner, attempt, claimed_at, until FROM leases WHERE task_id = ?',
  putLease: `INSERT INTO leases (task_id, owner, attempt, claimed_at, until)
      VALUES (@taskId, @owner, @attempt, @claimedAt, @until)
      ON CONFLICT (task_id) DO UPDATE SET owner = excluded.owner, attempt = excluded.attempt,
      claimed_at = excluded.claimed_at, until = excluded.until`,
  deleteLease: 'DELETE FROM leases WHERE task_id = ?',
  ownerOf: 'SELECT holder, until FROM owner WHERE id = 1',
  putOwner: `INSERT INTO owner (id, holder, until) VALUES (1, @holder, @until)
      ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, until = excluded.until`,
  deleteOwner: 'DELETE FROM owner WHERE id = 1 AND holder = ?',
  expiredLeases: `SELECT l.task_id, l.owner, l.attempt, l.claimed_at, l.until
      FROM leases l JOIN tasks t ON t.task_id = l.task_id WHERE l.until <= ? ORDER BY t.seq`,
  deleteExpiredLeases: 'DELETE FROM leases WHERE until <= ?',
  tasks: `SELECT ${TASK_COLUMNS} FROM tasks t
      LEFT JOIN leases l ON l.task_id = t.task_id ORDER BY t.seq`,
  history: `SELECT r.seq, r.kind, r.v, r.body, t.spec, t.outcome FROM task_records r
      LEFT JOIN tasks t ON t.task_id = r.task_id WHERE r.task_id = ? ORDER BY r.seq`,
  latestAgents: `SELECT seq, kind, v, body FROM agent_records
      WHERE seq IN (SELECT max(seq) FROM agent_records GROUP BY agent_id) ORDER BY seq`,
  dropTerminalHistory: `DELETE FROM task_records WHERE ${TERMINAL_RECORDS_BEFORE_LAST}`,
  dropOldAgentRecords: `DELETE FROM agent_records WHERE seq <
      (SELECT max(a.seq) FROM agent_records a WHERE a.agent_id = agent_records.agent_id)`,
  forgetRecords: `DELETE FROM task_records WHERE task_id IN (SELECT task_id FROM tasks
      WHERE finished_at IS NOT NULL AND finished_at + @retain <= @now)`,
  forgetFinishedRecords: `DELETE FROM task_records WHERE task_id = ?
      AND EXISTS (SELECT 1 FROM tasks WHERE task_id = ? AND finished_at IS NOT NULL)`,
  forgetFinishedTask: 'DELETE FROM tasks WHERE task_id = ? AND finished_at IS NOT NULL',
  putTeamRun: `INSERT INTO team_runs (run_id, at, data) VALUES (?, ?, ?)
      ON CONFLICT (run_id) DO UPDATE SET at = excluded.at, data = excluded.data`,
  deleteTeamRun: 'DELETE FROM team_runs WHERE run_id = ?',
  teamRuns: 'SELECT run_id, at, data FROM team_runs ORDER BY at, rowid',
  forgetTasks: 'DELETE FROM tasks WHERE finished_at IS NOT NULL AND finished_at + @retain <= @now',
} as const;

export type Statements = { readonly [name in keyof typeof SQL]: Statement };

export function prepareStatements(db: Database): Statements {
  const statements = Object.fromEntries(
    Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)]),
  ) as Statements;
  statements.stateOf.pluck();
  return statements;
}
