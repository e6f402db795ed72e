// A client of a cluster: any process connected to its database submits tasks and waits for
// their results, with no system of its own. `submit` checks the spec as a system would,
// inserts it (durable when `submit` resolves; submits made together share a transaction,
// submission-writer.ts) and wakes the leader, which takes it in (submission-intake.ts).
// `result()` reads the task's outcome from the store (result-watch.ts, with the others
// waiting), woken by the leader's notice when a task ends and polling behind it; a task
// submitted again with the same idempotency key (after a reconnect, say) is found by its key.
// A task's status and history are read from its row (remote-status.ts).
import { nanoid } from 'nanoid';
import pg from 'pg';
import {
  callListener,
  type ListenerErrorHandler,
  listenerFaults,
} from '../core/listener-faults.js';
import { ENDED_TOPIC, notifyName, SUBMITTED_TOPIC } from '../store/postgres/notify-names.js';
import { migratePostgres, tableNamer } from '../store/postgres/postgres-schema.js';
import type { Stored, TaskLifecycleRecord } from '../store/store-records.js';
import { type BatchOptions, batchSpecs } from '../tasks/task-batch.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { show } from '../validation/field-checks.js';
import { validateClientOptions } from '../validation/validate-cluster-options.js';
import { clientBatch, clientTask, type RemoteBatch, remoteBatch } from './client-batches.js';
import { EndedFeed, type EndedNotice, type TaskEnded } from './ended-feed.js';
import { ProgressFeed, type TaskProgress } from './progress-feed.js';
import { type RemoteTaskStatus, readRemoteHistory, readRemoteStatus } from './remote-status.js';
import { ResultWatch } from './result-watch.js';
import { SubmissionWriter } from './submission-writer.js';
import { listenFor } from './topic-listener.js';

export interface ClusterClientOptions {
  readonly schema?: string;
  /** How often `result()` reads when no notice came, in ms. Default 500. */
  readonly pollMs?: number;
  /**
   * Takes what an `onEnded` listener throws, as a ListenerFailed. The client goes on either
   * way: the other listeners hear the end, and the next ends come. Default: thrown again on
   * a later turn of the event loop (an uncaught exception, as Node's emitters give).
   */
  readonly onListenerError?: ListenerErrorHandler;
}

/** A task submitted through a client. */
export interface RemoteTask<Output = unknown> {
  readonly id: string;
  /**
   * Its output once completed; rejects with TaskFailed, TaskCancelled or SubmissionRefused,
   * and with UnknownTask once the leader forgot it (past its `retainFinished`).
   */
  result(): Promise<Output>;
  /** Asks the leader to cancel it: `client.cancel(id, reason)`. */
  cancel(reason?: string): Promise<void>;
  /**
   * Where it is now, read from the database: `submitted` while its submission waits for a
   * leader, then its state, attempts, agent, output or error, and times, as the leader last
   * stored them (its progress, which only the leader hears, is not there). A submission
   * made again with an idempotency key is the key's first task, as for `result()`. Rejects
   * with SubmissionRefused or UnknownTask as `result()` does.
   */
  status(): Promise<RemoteTaskStatus>;
  /** Its records as the leader stored them (submitted, each transition, its end), in order. */
  history(): Promise<Stored<TaskLifecycleRecord>[]>;
  /** `client.onProgress`, for this task only (the key's first task, for a resubmission). */
  onProgress(listener: (progress: TaskProgress) => void): () => void;
}

export interface ClusterClient {
  submit<Output = unknown>(spec: TaskSpec<unknown, Output>): Promise<RemoteTask<Output>>;
  /**
   * Submits tasks whole or not at all, as `system.submitMany`: durable together when it
   * resolves; the leader takes them in together (dependencies may point within the batch)
   * or refuses them all (each task's `result()` then rejects with SubmissionRefused).
   */
  submitMany(specs: readonly TaskSpec[]): Promise<RemoteTask[]>;
  /** An online batch, as `system.submitBatch`: `submitMany` with the batch's class and deadline. */
  submitBatch(specs: readonly TaskSpec[], options?: BatchOptions): Promise<RemoteBatch<RemoteTask>>;
  /**
   * Asks the leader to cancel task `taskId` (submitted through any client or system of the
   * cluster); durable when it resolves. The leader cancels it as it takes the request in, as
   * `system.cancel` does: a running attempt is aborted, the task ends `cancelled` and its
   * `result()` rejects with TaskCancelled. A task that already ended, or that the cluster
   * does not know, stays as it is.
   */
  cancel(taskId: string, reason?: string): Promise<void>;
  /**
   * Any task of the cluster by its id, submitted by whichever process: its result, its
   * cancel, its status and history.
   */
  task<Output = unknown>(taskId: string): RemoteTask<Output>;
  /**
   * Each task that ends in the cluster from now on, once, in the order they ended: those
   * that end while its connection is away are read back when it is back (unless their
   * leader forgot them meanwhile, past `retainFinished`). Returns an unsubscribe.
   */
  onEnded(listener: (ended: TaskEnded) => void): () => void;
  /**
   * The latest progress of the cluster's running tasks, as the leader relays it: each
   * task's newest report at most every 200 ms. A gauge, not a record: what is reported while
   * nobody listens (or the client's connection is away) is not told again. Returns an
   * unsubscribe; the client listens only while someone subscribes.
   */
  onProgress(listener: (progress: TaskProgress) => void): () => void;
  close(): Promise<void>;
}

export async function connectCluster(
  db: string | pg.Pool,
  options: ClusterClientOptions = {},
): Promise<ClusterClient> {
  validateClientOptions(db, options);
  const { pollMs = 500 } = options;
  const owned = typeof db === 'string';
  const pool =
    typeof db === 'string' ? new pg.Pool({ connectionString: db, max: 4, keepAlive: true }) : db;
  pool.on('error', () => undefined);
  const schema = options.schema ?? 'overseer';
  const q = tableNamer(schema);
  await migratePostgres(pool, schema, `cluster ${schema}`);
  const listeners = new Set<(ended: TaskEnded) => void>();
  const faults = listenerFaults(options.onListenerError);
  const results = new ResultWatch(pool, q, pollMs);
  const feed = new EndedFeed(
    pool,
    q,
    (ended) => {
      for (const l of listeners) callListener(l, ended, 'onEnded', faults);
    },
    () => listeners.size > 0,
  );
  // Ended tasks' notices wake result(); it polls behind them (and after a broken listener).
  // onEnded hears them through the feed, which reads back what a broken listener missed.
  const listener = await listenFor(
    pool,
    schema,
    ENDED_TOPIC,
    (n) => {
      if (n.channel !== notifyName(schema, ENDED_TOPIC) || !n.payload) return;
      // A notice carries the ended tasks of one of the leader's transactions.
      const notice = JSON.parse(n.payload) as EndedNotice | EndedNotice[];
      const ends = Array.isArray(notice) ? notice : [notice];
      feed.notice(ends);
      for (const ended of ends) results.ended(ended.taskId);
    },
    () => void feed.listening(),
  );
  const progress = new ProgressFeed(pool, schema, faults);
  const submissions = new SubmissionWriter(
    pool,
    q('submissions'),
    notifyName(schema, SUBMITTED_TOPIC),
  );

  const handle = <Output>(id: string, key: string | undefined): RemoteTask<Output> => ({
    id,
    result: () => results.result(id, key) as Promise<Output>,
    cancel: (reason) => client.cancel(id, reason),
    status: () => readRemoteStatus(pool, q, { id, key }),
    history: () => readRemoteHistory(pool, q, { id, key }),
    onProgress: (listener) => {
      checkListener('onProgress', listener);
      // A submission made again with its key is the key's first task: its id, once read.
      const ids = new Set([id]);
      if (key !== undefined)
        readRemoteStatus(pool, q, { id, key }).then(
          (status) => ids.add(status.id),
          () => undefined,
        );
      return progress.add((p) => {
        if (ids.has(p.taskId)) listener(p);
      });
    },
  });
  /** A batch's rows, written in one statement under batch id `batch`. */
  const submitWhole = async (specs: readonly TaskSpec[], entry: string, batch: string) => {
    const tasks = clientBatch(specs, entry);
    if (tasks.length === 0) return [];
    const rows = tasks.map((task, i) => ({
      taskId: task.id,
      spec: JSON.stringify({ ...specs[i], id: task.id }),
    }));
    await submissions.writeBatch(rows, batch);
    return tasks.map((task) => handle(task.id, task.idempotencyKey));
  };
  /** Requests and their wake-up in one statement: the notice goes out at its commit. */
  const cancelAll = async (taskIds: readonly string[], reason: string) => {
    await pool.query(
      `WITH asked AS (INSERT INTO ${q('cancellations')} (task_id, reason)
                      SELECT unnest($1::text[]), $2)
       SELECT pg_notify($3, '')`,
      [taskIds, reason, notifyName(schema, SUBMITTED_TOPIC)],
    );
  };
  const client: ClusterClient = {
    async submit<Output>(spec: TaskSpec<unknown, Output>): Promise<RemoteTask<Output>> {
      // Checked here as a system would (bad input is refused at once, naming the field);
      // what only the leader knows (its agents, its QoS classes) it checks when it takes it.
      const task = clientTask(spec);
      await submissions.write(task.id, JSON.stringify({ ...spec, id: task.id }));
      return handle<Output>(task.id, task.idempotencyKey);
    },
    submitMany: (specs) => submitWhole(specs, 'submitMany', nanoid()),
    async submitBatch(specs, options = {}) {
      const id = nanoid();
      const handles = await submitWhole(batchSpecs(specs, options, Date.now()), 'submitBatch', id);
      return remoteBatch(id, handles, cancelAll);
    },
    task<Output>(taskId: string): RemoteTask<Output> {
      checkTaskId('task', taskId);
      return handle<Output>(taskId, undefined);
    },
    async cancel(taskId, reason = 'cancelled') {
      checkTaskId('cancel', taskId);
      if (typeof reason !== 'string')
        throw new TypeError(`cancel: reason must be a string, got ${show(reason)}`);
      await cancelAll([taskId], reason);
    },
    onEnded(listener) {
      listeners.add(checkListener('onEnded', listener));
      return () => listeners.delete(listener);
    },
    onProgress: (listener) => progress.add(checkListener('onProgress', listener)),
    async close() {
      feed.close();
      progress.close();
      results.close();
      listener.drop();
      if (owned) await pool.end();
    },
  };
  return client;
}

function checkListener<L>(entry: string, listener: L): L {
  if (typeof listener !== 'function')
    throw new TypeError(`${entry}: listener must be a function, got ${show(listener)}`);
  return listener;
}

function checkTaskId(entry: string, taskId: unknown): void {
  if (typeof taskId !== 'string' || taskId.length === 0)
    throw new TypeError(`${entry}: taskId must be a non-empty string, got ${show(taskId)}`);
}
