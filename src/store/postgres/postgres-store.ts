// The `Store` contract on PostgreSQL. A system decides everything against an in-memory
// mirror of the store (a MemoryStore filled from the database at open), so every rule is the
// memory store's, answered at once; each change is also queued as SQL and committed with the
// rest of its event-loop turn in one transaction (postgres-batches); `flush()` resolves once
// the database has it. The database enforces what must hold whoever writes: one terminal
// record per task (a unique index), and the claim's holder (a deposed system's writes fail).
import pg from 'pg';
import { OverseerError, StoreClosed, StoreOpenFailed } from '../../errors/index.js';
import { isTerminal } from '../../tasks/task-record.js';
import { validateStoreOptions } from '../../validation/validate-cluster-options.js';
import { compactBody, endRowBody } from '../history-lines.js';
import type { Lease, LeaseClaim, LeaseRenewal, LeaseResult } from '../lease.js';
import { MemoryStore } from '../memory-store.js';
import { acceptTaskRecord } from '../record-shapes.js';
import { toJson } from '../sqlite-rows.js';
import type {
  CompactOptions,
  CompactResult,
  OwnerClaim,
  OwnerResult,
  StoreContents,
  StoredTeamRun,
} from '../store.js';
import {
  type AgentLifecycleRecord,
  STORE_RECORD_VERSION,
  type Stored,
  type TaskLifecycleRecord,
} from '../store-records.js';
import type { ClusterPlace } from './cluster-place.js';
import { ForgetQueue } from './forget-queue.js';
import { ENDED_TOPIC, notifyName } from './notify-names.js';
import { PostgresBatches } from './postgres-batches.js';
import { loadPostgres } from './postgres-load.js';
import { locationOf } from './postgres-location.js';
import { migratePostgres, tableNamer } from './postgres-schema.js';
import type { PostgresStore, PostgresStoreOptions } from './postgres-store-api.js';
import { type PostgresWrites, postgresWrites } from './postgres-writes.js';

export type { PostgresStore, PostgresStoreOptions } from './postgres-store-api.js';

class PostgresStoreImpl implements PostgresStore {
  readonly kind = 'postgres';
  readonly durable = true;
  readonly #mirror: MemoryStore;
  readonly #batches: PostgresBatches;
  readonly #sql: PostgresWrites;
  readonly #forgets: ForgetQueue;
  #closed = false;

  constructor(
    readonly where: string,
    readonly schema: { from: number; to: number },
    readonly place: ClusterPlace,
    mirror: MemoryStore,
    batches: PostgresBatches,
    sql: PostgresWrites,
    private readonly endPool: () => Promise<void>,
  ) {
    this.#mirror = mirror;
    this.#batches = batches;
    this.#sql = sql;
    this.#forgets = new ForgetQueue(batches);
  }

  get commits(): number {
    return this.#batches.commits;
  }

  get retries(): number {
    return this.#batches.retries;
  }

  appendTask(input: TaskLifecycleRecord): void {
    this.#check('appendTask');
    const record = acceptTaskRecord(input);
    // Each part encoded once, before the mirror takes the record: one the database cannot
    // hold changes nothing. The body leaves out what its row says (history-lines.ts).
    const { taskId } = record;
    const submitted =
      record.kind === 'task.submitted'
        ? {
            spec: toJson(record.spec, taskId, 'spec'),
            at: record.at,
            key: record.spec.idempotencyKey ?? null,
          }
        : undefined;
    const body = compactBody(record, (rest) => toJson(rest, taskId, 'record'));
    const leased = this.#mirror.leaseOf(taskId) !== undefined;
    this.#mirror.appendAccepted(record, body);
    const latest = this.#mirror.latest(taskId);
    if (!latest) return;
    const { seq, status } = latest;
    if (submitted) this.#forgets.resubmitted(taskId);
    const bulk = this.#batches.bulk();
    bulk.task(taskId, submitted ? { seq, status, submitted } : { seq, status });
    const ends = isTerminal(status.state);
    // An end's row in task_records leaves its outcome to the task row's outcome column.
    const rowBody = ends ? endRowBody(record) : body;
    bulk.record(latest.recordSeq, taskId, record.kind, STORE_RECORD_VERSION, rowBody);
    if (ends) {
      bulk.lease(taskId, null, leased);
      bulk.ended(JSON.stringify({ taskId, state: status.state, seq: latest.recordSeq }));
    }
  }

  appendAgent(record: AgentLifecycleRecord): void {
    this.#check('appendAgent');
    toJson(record, record.agentId, 'record');
    this.#mirror.appendAgent(record);
    const stored = this.#mirror.latestAgent(record.agentId) as Stored<AgentLifecycleRecord>;
    const { seq, v, ...body } = stored;
    this.#batches.bulk().agentRecord(seq, record.agentId, record.kind, v, JSON.stringify(body));
  }

  claimLease(claim: LeaseClaim): LeaseResult {
    this.#check('claimLease');
    const leased = this.#mirror.leaseOf(claim.taskId) !== undefined;
    return this.#leaseWritten(this.#mirror.claimLease(claim), leased);
  }

  renewLease(renewal: LeaseRenewal): LeaseResult {
    this.#check('renewLease');
    const leased = this.#mirror.leaseOf(renewal.taskId) !== undefined;
    return this.#leaseWritten(this.#mirror.renewLease(renewal), leased);
  }

  releaseLease(taskId: string, owner: string): boolean {
    this.#check('releaseLease');
    const released = this.#mirror.releaseLease(taskId, owner);
    if (released) this.#batches.bulk().lease(taskId, null, true);
    return released;
  }

  expireLeases(now: number): readonly Lease[] {
    this.#check('expireLeases');
    const expired = this.#mirror.expireLeases(now);
    for (const lease of expired) this.#batches.bulk().lease(lease.taskId, null, true);
    return expired;
  }

  load(now: number): StoreContents {
    this.#check('load');
    return this.#mirror.load(now);
  }

  history(taskId: string): readonly Stored<TaskLifecycleRecord>[] {
    this.#check('history');
    return this.#mirror.history(taskId);
  }

  compact(options: CompactOptions): CompactResult {
    this.#check('compact');
    const result = this.#mirror.compact(options);
    for (const op of this.#sql.compact(options)) this.#batches.write(op);
    return result;
  }

  claimOwner(claim: OwnerClaim): OwnerResult {
    this.#check('claimOwner');
    const result = this.#mirror.claimOwner(claim);
    if (!result.ok) return result;
    // The database decides too: if another system took the store meanwhile, the batch fails.
    this.#batches.write(this.#sql.claimOwner(claim));
    this.#batches.fencedBy = claim.holder;
    return result;
  }

  releaseOwner(holder: string): void {
    this.#check('releaseOwner');
    this.#mirror.releaseOwner(holder);
    this.#batches.write(this.#sql.releaseOwner(holder));
    if (this.#batches.fencedBy === holder) this.#batches.fencedBy = undefined;
  }

  watchOwner(lost: (holder: string | undefined) => void): void {
    this.#batches.onDeposed = lost;
  }

  /** Clients' requests taken in, in the batch of what they did (postgres-store-api.ts). */
  ingested(
    seqs: readonly number[],
    rejections: readonly { taskId: string; error: string }[],
    cancellations: readonly number[] = [],
  ): void {
    this.#check('ingested');
    for (const op of this.#sql.ingested(seqs, rejections, cancellations)) this.#batches.write(op);
  }

  forgetFinished(taskIds: readonly string[]): void {
    this.#check('forgetFinished');
    this.#mirror.forgetFinished(taskIds);
    this.#forgets.add(taskIds);
  }

  putTeamRun(run: StoredTeamRun): void {
    this.#check('putTeamRun');
    const data = toJson(run.data, run.runId, 'team run');
    this.#mirror.putTeamRun(run);
    this.#batches.write(this.#sql.putTeamRun(run, data));
  }

  deleteTeamRun(runId: string): void {
    this.#check('deleteTeamRun');
    this.#mirror.deleteTeamRun(runId);
    this.#batches.write(this.#sql.deleteTeamRun(runId));
  }

  teamRuns(): readonly StoredTeamRun[] {
    this.#check('teamRuns');
    return this.#mirror.teamRuns();
  }

  checkOutput(taskId: string, output: unknown): void {
    toJson(output, taskId, 'output');
  }

  flush(): Promise<void> {
    return this.#batches.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Forgotten tasks not yet deleted stay finished in the store; the next start forgets them.
    this.#forgets.stop();
    const done = this.#batches.flush();
    this.#batches.commit();
    try {
      await done;
    } finally {
      await this.endPool();
    }
  }

  /** `leased`: whether the task had a lease just before (so its row may be in the database). */
  #leaseWritten(result: LeaseResult, leased: boolean): LeaseResult {
    if (result.ok) this.#batches.bulk().lease(result.lease.taskId, result.lease, leased);
    return result;
  }

  #check(operation: string): void {
    if (this.#closed) throw new StoreClosed(operation);
  }
}

/**
 * A durable store on PostgreSQL: a connection URL (`postgres://user:pass@host/db`) or a `pg`
 * Pool you own. Creates its schema if missing, migrates an older one; refuses a schema that
 * is not an overseer store (ForeignStoreFile) or is newer (StoreSchemaTooNew), and a
 * transaction-mode pooler (PoolerUnsupported); StoreOpenFailed: the database is unreachable.
 *
 * @example
 * const store = await postgresStore(process.env.DATABASE_URL!);
 * const system = createSystem({ store, agents }).start();
 */
export async function postgresStore(
  connection: string | pg.Pool,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  validateStoreOptions(connection, options);
  const schemaName = options.schema ?? 'overseer';
  const owned = typeof connection === 'string';
  const pool = owned
    ? new pg.Pool({ connectionString: connection, max: options.poolSize ?? 4 })
    : connection;
  // An idle connection the server dropped is an error event on the pool: not a crash.
  pool.on('error', () => undefined);
  const where = `${locationOf(owned ? connection : pool)}#${schemaName}`;
  const endPool = () => (owned ? pool.end() : Promise.resolve());
  try {
    const q = tableNamer(schemaName);
    const schema = await migratePostgres(pool, schemaName, where).catch((cause: unknown) => {
      throw isOurs(cause) ? cause : new StoreOpenFailed(where, { cause });
    });
    const loaded = await loadPostgres(pool, q);
    const mirror = new MemoryStore('lines');
    // Under a leader lease, the lease (its epoch, checked by every batch) decides who writes:
    // the owner claim is the leader's to take from a deposed one whose claim has not expired.
    mirror.restore(options.leader ? { ...loaded, owner: undefined } : loaded);
    const batches = new PostgresBatches(pool, {
      where,
      q,
      endedChannel: notifyName(schemaName, ENDED_TOPIC),
      ownerTable: q('owner'),
      retryForMs: options.retryForMs ?? 30_000,
      ...(options.leader ? { leader: { table: q('leader'), ...options.leader } } : {}),
    });
    const place = { pool, schema: schemaName, q };
    const sql = postgresWrites(q, { takeOver: options.leader !== undefined });
    return new PostgresStoreImpl(where, schema, place, mirror, batches, sql, endPool);
  } catch (error) {
    await endPool().catch(() => undefined);
    throw error;
  }
}

const isOurs = (error: unknown) => error instanceof OverseerError;
