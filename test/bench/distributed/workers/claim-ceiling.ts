// A node of the claim-ceiling probe (../claim-ceiling.ts says what it measures): claims
// ready tasks from overseer's tasks table itself, runs a no-op handler per task, and
// completes them in batches, writing the rows the real store writes. Argument 1 is the
// PostgreSQL URL.
//
// - Slots: CONCURRENCY_PER_WORKER tasks in a handler at once (a slot frees when its handler
//   returns, as graphile-worker's concurrency counts; its completion is written after).
// - Claim: up to the free slots in ONE statement, one claim in flight at a time: the ready
//   rows first in seq order, FOR UPDATE SKIP LOCKED, set running (attempt + 1, agent_id,
//   updated_at) with the task.transition line the store appends for a running task.
// - Completion: whatever finished since the last completion statement went out, in ONE
//   statement, one at a time (graphile's completeJobBatchDelay 0): data-modifying CTEs that
//   set the rows completed (outcome, finished_at, updated_at) where this node still holds
//   them at that attempt, and insert the task.completed records of exactly those rows into
//   task_records. A job counts completed once that statement committed.
// - Wake-ups: LISTEN on the producer's channel, polling every POLL_MS as a fallback, and a
//   claim again at once whenever a slot frees after a claim that came back full.
// - A pool of POOL_SIZE connections: one held for LISTEN, the others for claims and
//   completions. Any error fails the run (the process exits before reporting).
import pg from 'pg';
import { compactBody } from '../../../../src/store/history-lines.js';
import { RECORD_SEQ, WAKE_CHANNEL } from '../claim-ceiling.js';
import { CONCURRENCY_PER_WORKER, type NoopPayload } from '../contract.js';
import { jobRecorder, workerArgument } from '../job-recorder.js';

const POLL_MS = 100;
const POOL_SIZE = 4;
/** This node's agent id on the rows it claims (the supervisor's are `noop-1`, `noop-2`). */
const AGENT_ID = `noop-${process.pid}`;

// The running transition's history line, as historyLine(seq, 'task.transition', 1, body)
// makes it with the body the store writes (compactBody): {"at","attempt","agentId","state"}.
const CLAIM = `
  UPDATE overseer.tasks t SET state = 'running', attempt = t.attempt + 1, agent_id = $1,
    updated_at = $2::bigint,
    history = t.history || c.line_seq || E'\\ttask.transition\\t1\\t{"at":' || $2::bigint
      || ',"attempt":' || (t.attempt + 1) || ',"agentId":' || to_json($1::text)::text
      || E',"state":"running"}\\n',
    history_seq = c.line_seq
  FROM (
    SELECT seq, nextval('${RECORD_SEQ}') AS line_seq FROM overseer.tasks
    WHERE state = 'ready' ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED
  ) c
  WHERE t.seq = c.seq
  RETURNING t.task_id, t.spec, t.attempt`;

// Rows: [task_id, attempt, at, outcome, record body]; only rows this node still holds at that
// attempt end, and only theirs get an end record.
const COMPLETE = `
  WITH done AS (
    SELECT r->>0 AS task_id, (r->>1)::int AS attempt, (r->>2)::float8 AS at,
      r->>3 AS outcome, r->>4 AS body
    FROM jsonb_array_elements($1::jsonb) AS r
  ), ended AS (
    UPDATE overseer.tasks t SET state = 'completed', outcome = done.outcome,
      finished_at = done.at, updated_at = done.at
    FROM done
    WHERE t.task_id = done.task_id AND t.state = 'running' AND t.agent_id = $2
      AND t.attempt = done.attempt
    RETURNING t.task_id, done.body
  )
  INSERT INTO overseer.task_records (seq, task_id, kind, v, body)
  SELECT nextval('${RECORD_SEQ}'), task_id, 'task.completed', 1, body FROM ended`;

interface Claimed {
  readonly task_id: string;
  readonly spec: string;
  readonly attempt: number;
}

/** A finished job, as its completion statement takes it. */
type Finished = [taskId: string, attempt: number, at: number, outcome: string, body: string];

const pool = new pg.Pool({ connectionString: workerArgument(0, 'PostgreSQL URL'), max: POOL_SIZE });
pool.on('error', () => {});
let stopped = false;
let poll: NodeJS.Timeout | undefined;
const listener = await pool.connect();
const recorder = jobRecorder(async () => {
  stopped = true;
  clearInterval(poll);
  listener.release();
  await pool.end();
});

const fail = (error: unknown) => {
  process.stderr.write(`claim-ceiling worker ${AGENT_ID}: ${String(error)}\n`);
  process.exit(1);
};

/** The no-op handler: notes its start and returns it (as the overseer bench's agent does). */
async function noop(i: number): Promise<number> {
  recorder.started(i);
  return Date.now();
}

let running = 0;
/** The last claim came back full: more tasks are likely ready. */
let more = false;
let claiming = false;
/** A wake-up came while a claim was out: claim once more after it. */
let claimAgain = false;
/** Jobs finished since the last completion statement went out. */
let finished: Finished[] = [];
let completing = false;

async function claimLoop(): Promise<void> {
  if (claiming || stopped) {
    claimAgain = true;
    return;
  }
  claiming = true;
  try {
    do {
      claimAgain = false;
      const free = CONCURRENCY_PER_WORKER - running;
      if (free <= 0) break;
      const { rows } = await pool.query<Claimed>(CLAIM, [AGENT_ID, Date.now(), free]);
      more = rows.length === free;
      running += rows.length;
      for (const row of rows) void runOne(row);
    } while (claimAgain && !stopped);
  } finally {
    claiming = false;
  }
}

async function runOne(row: Claimed): Promise<void> {
  const { task_id: taskId, attempt } = row;
  const { i } = (JSON.parse(row.spec) as { input: NoopPayload }).input;
  const output = await noop(i);
  const at = Date.now();
  const body = compactBody({
    kind: 'task.completed',
    taskId,
    at,
    attempt,
    agentId: AGENT_ID,
    output,
  });
  finished.push([taskId, attempt, at, JSON.stringify({ output }), body]);
  running--;
  completeSoon();
  if (more) claimSoon();
}

/**
 * `loop` once, after the handlers that end in this turn of the event loop have: the claim
 * then asks for all the slots they free, the completion takes all they finished.
 */
function soon(loop: () => Promise<void>): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      loop().catch(fail);
    });
  };
}
const claimSoon = soon(claimLoop);
const completeSoon = soon(completeLoop);

async function completeLoop(): Promise<void> {
  if (completing) return;
  completing = true;
  try {
    while (finished.length > 0) {
      const batch = finished;
      finished = [];
      const { rowCount } = await pool.query(COMPLETE, [JSON.stringify(batch), AGENT_ID]);
      if (rowCount !== batch.length)
        throw new Error(`completed ${rowCount} of ${batch.length} tasks this node held`);
      for (let k = 0; k < batch.length; k++) recorder.completed();
    }
  } catch (error) {
    fail(error);
  } finally {
    completing = false;
  }
}

listener.on('notification', claimSoon);
await listener.query(`LISTEN ${WAKE_CHANNEL}`);
poll = setInterval(claimSoon, POLL_MS);
recorder.ready();
claimSoon();
