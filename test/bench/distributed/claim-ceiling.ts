// A probe, by hand only (try.ts claim-ceiling, not the bench scenario): the CEILING of a
// design overseer does not have, nodes claiming their tasks from the table themselves as
// graphile-worker's workers do, measured with the rows overseer keeps. No supervisor, no
// scheduler policy (no priorities, capabilities, resources, QoS or dependencies), no XState,
// no leases, no ended notices for waiters, no retries: SQL alone, so what it measures is the
// most that shape could give with overseer's tables, not what a built one would.
//
// Database: overseer's real schema (opening and closing `postgresStore` runs its
// migrations), plus two things the claim needs that the schema lacks: a partial index on
// ready tasks in submission order (every claim would otherwise scan the table), and a
// sequence for record seqs (the supervisor hands them out from memory today; here the
// producer and every node take them from the database). The index costs more than its own
// entries: its predicate reads `state`, so no update that changes a task's state stays in
// place any more (counted: 0 of 2 updates per task heap-only, where schema 8 made about half
// of the supervisor's so), each writing new entries in every index of the table.
//
// Producer: one statement per SUBMIT_BATCH tasks, its rows as ONE JSON document
// (`jsonb_array_elements`, as postgres-bulk.ts sends them), each row what the store writes
// for a new task: the normalized spec (its input holding the job's index), state `ready`,
// attempt 0, and the task.submitted history line (seq from the sequence); the statement
// ends in a NOTIFY (delivered at commit) to wake the nodes. Record bodies are the store's
// `compactBody` (schema 9: without kind, task id or spec, which the line and row hold).
// Workers (workers/claim-ceiling.ts): claim, run, complete in batches; see there.
import { fileURLToPath } from 'node:url';
import { nanoid } from 'nanoid';
import pg from 'pg';
import { postgresStore } from '../../../src/index.js';
import { type BenchEnv, type Figures, figuresOf, submitInBatches } from './contract.js';
import { startWorkerFleet } from './worker-fleet.js';

/** Where the producer tells the nodes a batch of tasks is ready. */
export const WAKE_CHANNEL = 'overseer_claim_ceiling';
/** Record seqs: tasks' (their submitted record's), history lines' and end records'. */
export const RECORD_SEQ = 'overseer.claim_ceiling_seq';

const WORKER_FILE = fileURLToPath(new URL('./workers/claim-ceiling.ts', import.meta.url));

/** What the claim needs beyond overseer's schema (migrations in postgres-migrations.ts). */
const CLAIM_DDL = `
  CREATE INDEX tasks_ready_seq ON overseer.tasks (seq) WHERE state = 'ready';
  CREATE SEQUENCE ${RECORD_SEQ};
`;

// A new task's row, the columns in postgres-bulk.ts's order. The history line is
// historyLine(seq, 'task.submitted', 1, compactBody(record)) of src/store/history-lines.ts,
// made in SQL as its seq is taken there; the body is {"at":...}.
const SUBMIT = `
  WITH added AS (
    INSERT INTO overseer.tasks (seq, task_id, spec, submitted_at, state, attempt, agent_id,
      updated_at, retry_at, snapshot, outcome, finished_at, idempotency_key, history,
      history_seq)
    SELECT n.seq, n.r->>0, n.r->>1, (n.r->>2)::float8, 'ready', 0, NULL,
      (n.r->>2)::float8, NULL, NULL, NULL, NULL, NULL,
      n.seq || E'\\ttask.submitted\\t1\\t' || (n.r->>3) || E'\\n', n.seq
    FROM (SELECT nextval('${RECORD_SEQ}') AS seq, r FROM jsonb_array_elements($1::jsonb) AS r) n
  )
  SELECT pg_notify('${WAKE_CHANNEL}', '')`;

/** The normalized spec the supervisor stores for `{ type: 'noop', capabilities: ['noop'] }`. */
function specJson(id: string, i: number): string {
  return JSON.stringify({
    id,
    type: 'noop',
    input: { i },
    priority: 0,
    capabilities: ['noop'],
    resources: {},
    dependsOn: [],
    retry: {
      maxAttempts: 3,
      backoff: {
        kind: 'exponential',
        initialDelayMs: 1000,
        factor: 2,
        maxDelayMs: 30000,
        jitter: 0.2,
      },
    },
    qos: 'default',
    metadata: {},
  });
}

export async function run(n: number, env: BenchEnv): Promise<Figures> {
  const store = await postgresStore(env.pgUrl);
  await store.close();
  const pool = new pg.Pool({ connectionString: env.pgUrl, max: 1 });
  pool.on('error', () => {});
  try {
    await pool.query(CLAIM_DDL);
    const fleet = await startWorkerFleet(WORKER_FILE, [env.pgUrl]);
    try {
      const submitted = await submitInBatches(n, async (from, count) => {
        const at = Date.now();
        const rows = Array.from({ length: count }, (_, k) => {
          const taskId = nanoid();
          const body = `{"at":${at}}`; // compactBody of a task.submitted record
          return [taskId, specJson(taskId, from + k), at, body];
        });
        await pool.query(SUBMIT, [JSON.stringify(rows)]);
      });
      return figuresOf(submitted, await fleet.observe(n));
    } finally {
      await fleet.close();
    }
  } finally {
    await pool.end();
  }
}
