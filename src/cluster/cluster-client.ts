// A client of a cluster: any process connected to its database submits tasks and waits for
// their results, with no system of its own. `submit` checks the spec as a system would,
// inserts it (durable when `submit` resolves; submits made together share a transaction,
// submission-writer.ts) and wakes the leader, which takes it in (submission-intake.ts). `result()` reads the task's outcome from the store, woken by the
// leader's notice when a task ends and polling behind it; a task submitted again with the
// same idempotency key (after a reconnect, say) is found by its key.
import { nanoid } from 'nanoid';
import pg from 'pg';
import { defaultRetryPolicy } from '../../machines/retry-policy.js';
import type { TaskError } from '../../machines/task-error.js';
import type { TerminalTaskState } from '../../machines/task-states.js';
import {
  InvalidTaskSpec,
  SubmissionRefused,
  TaskCancelled,
  TaskFailed,
  UnknownTask,
} from '../errors/index.js';
import { ENDED_TOPIC, notifyName, SUBMITTED_TOPIC } from '../store/postgres/notify-names.js';
import { migratePostgres, tableNamer } from '../store/postgres/postgres-schema.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { validateTaskSpec } from '../validation/validate-task-spec.js';
import { SubmissionWriter } from './submission-writer.js';
import { listenFor } from './topic-listener.js';

export interface ClusterClientOptions {
  readonly schema?: string;
  /** How often `result()` reads when no notice came, in ms. Default 500. */
  readonly pollMs?: number;
}

/** A task submitted through a client. */
export interface RemoteTask<Output = unknown> {
  readonly id: string;
  /**
   * Its output once completed; rejects with TaskFailed, TaskCancelled or SubmissionRefused,
   * and with UnknownTask once the leader forgot it (past its `retainFinished`).
   */
  result(): Promise<Output>;
}

/** A task that ended, as the leader tells it. */
export interface TaskEnded {
  readonly taskId: string;
  readonly state: TerminalTaskState;
}

export interface ClusterClient {
  submit<Output = unknown>(spec: TaskSpec<unknown, Output>): Promise<RemoteTask<Output>>;
  /** Each task that ends in the cluster, from now on; returns an unsubscribe. */
  onEnded(listener: (ended: TaskEnded) => void): () => void;
  close(): Promise<void>;
}

export async function connectCluster(
  db: string | pg.Pool,
  options: ClusterClientOptions = {},
): Promise<ClusterClient> {
  const owned = typeof db === 'string';
  const pool = typeof db === 'string' ? new pg.Pool({ connectionString: db, max: 4 }) : db;
  pool.on('error', () => undefined);
  const schema = options.schema ?? 'overseer';
  const q = tableNamer(schema);
  await migratePostgres(pool, schema, `cluster ${schema}`);
  const listeners = new Set<(ended: TaskEnded) => void>();
  const waiting = new Map<string, Set<() => void>>();
  // Ended tasks' notices wake result(); it polls behind them (and after a broken listener).
  const listener = await listenFor(pool, schema, ENDED_TOPIC, (n) => {
    if (n.channel !== notifyName(schema, ENDED_TOPIC) || !n.payload) return;
    // A notice carries the ended tasks of one of the leader's transactions.
    const notice = JSON.parse(n.payload) as TaskEnded | TaskEnded[];
    for (const ended of Array.isArray(notice) ? notice : [notice]) {
      for (const l of listeners) l(ended);
      for (const wake of waiting.get(ended.taskId) ?? []) wake();
    }
  });
  let closed = false;
  const submissions = new SubmissionWriter(
    pool,
    q('submissions'),
    notifyName(schema, SUBMITTED_TOPIC),
  );

  /**
   * The task's outcome if it has one: by id, else by idempotency key; or its refusal. Read
   * in one statement, so one snapshot: a submission is in exactly one of the submissions
   * (not yet taken in), the tasks or the rejections, or in none once its finished task was
   * forgotten (the leader's `retainFinished`), which is UnknownTask, not a wait forever.
   */
  const outcomeOf = async (id: string, key: string | undefined) => {
    const { rows } = await pool.query<{
      task_id: string | null;
      state: string | null;
      attempt: number | null;
      outcome: string | null;
      refused: string | null;
      pending: boolean;
    }>(
      `SELECT t.task_id, t.state, t.attempt, t.outcome,
         (SELECT error FROM ${q('rejections')} WHERE task_id = $1) AS refused,
         EXISTS (SELECT 1 FROM ${q('submissions')} WHERE task_id = $1) AS pending
       FROM (SELECT 1) AS one LEFT JOIN LATERAL (
         SELECT task_id, state, attempt, outcome FROM ${q('tasks')}
         WHERE task_id = $1 OR ($2::text IS NOT NULL AND idempotency_key = $2)
         ORDER BY seq LIMIT 1) AS t ON true`,
      [id, key ?? null],
    );
    const row = rows[0];
    if (row?.task_id) {
      const o = (row.outcome === null ? {} : JSON.parse(row.outcome)) as {
        output?: unknown;
        error?: TaskError;
        reason?: string;
      };
      if (row.state === 'completed') return { done: true as const, output: o.output };
      if (row.state === 'failed')
        return {
          done: true as const,
          error: new TaskFailed(row.task_id, o.error as TaskError, row.attempt ?? 0),
        };
      if (row.state === 'cancelled')
        return {
          done: true as const,
          error: new TaskCancelled(row.task_id, o.reason ?? 'cancelled'),
        };
      return { done: false as const, id: row.task_id };
    }
    if (row?.refused != null)
      return { done: true as const, error: new SubmissionRefused(id, row.refused) };
    if (row?.pending) return { done: false as const, id };
    return { done: true as const, error: new UnknownTask(id) };
  };

  const result = async (id: string, key: string | undefined): Promise<unknown> => {
    for (let watched = id; ; ) {
      const outcome = await outcomeOf(id, key);
      if (outcome.done) {
        if ('error' in outcome) throw outcome.error;
        return outcome.output;
      }
      watched = outcome.id;
      if (closed) throw new Error(`the cluster client closed before task ${id} ended`);
      await new Promise<void>((resolve) => {
        const wakes = waiting.get(watched) ?? new Set();
        waiting.set(watched, wakes);
        const done = () => {
          clearTimeout(timer);
          wakes.delete(done);
          if (wakes.size === 0) waiting.delete(watched);
          resolve();
        };
        const timer = setTimeout(done, options.pollMs ?? 500);
        wakes.add(done);
      });
    }
  };

  return {
    async submit<Output>(spec: TaskSpec<unknown, Output>): Promise<RemoteTask<Output>> {
      // Checked here as a system would (bad input is refused at once, naming the field);
      // what only the leader knows (its agents, its QoS classes) it checks when it takes it.
      const task = validateTaskSpec(spec, {
        now: Date.now(),
        defaultRetry: defaultRetryPolicy,
        newId: nanoid,
      });
      if (task.outputSchema !== undefined)
        throw new InvalidTaskSpec(
          'outputSchema',
          `cannot cross processes (a schema is code): give the leader's system outputSchemas: { ${JSON.stringify(task.type)}: schema }`,
        );
      const id = task.id;
      await submissions.write(id, JSON.stringify({ ...spec, id }));
      return { id, result: () => result(id, task.idempotencyKey) as Promise<Output> };
    },
    onEnded(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      for (const wakes of waiting.values()) for (const wake of wakes) wake();
      listener.drop();
      if (owned) await pool.end();
    },
  };
}
