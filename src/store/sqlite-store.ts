// The embedded durable store: one SQLite file in WAL mode, written through prepared
// statements. Writes apply at once inside the turn's transaction and become durable when it
// commits after the turn; `flush()` waits for that commit.

import Database from 'better-sqlite3';
import { StoreClosed, StoreOpenFailed } from '../errors/index.js';
import { isTerminal, type TaskState } from '../tasks/task-record.js';
import { compactBody, endRowBody, type HeldByTaskRow, wholeRecordRow } from './history-lines.js';
import {
  decideClaim,
  decideRenewal,
  type Lease,
  type LeaseClaim,
  type LeaseRenewal,
  type LeaseResult,
} from './lease.js';
import { acceptAgentRecord, acceptTaskRecord } from './record-shapes.js';
import { migrateSchema } from './schema-version.js';
import {
  agentRecordFromRow,
  type LeaseRow,
  leaseFromRow,
  type RecordRow,
  statusColumns,
  type TaskRow,
  taskFromRow,
  taskRecordFromRow,
  teamRunDataFromRow,
  toJson,
} from './sqlite-rows.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import { type SqliteStoreOptions, sqliteStoreDefaults } from './sqlite-store-options.js';
import type {
  CompactOptions,
  CompactResult,
  OwnerClaim,
  OwnerResult,
  Store,
  StoreContents,
  StoredTeamRun,
} from './store.js';
import { decideOwner, type OwnerRow } from './store-owner.js';
import {
  type AgentLifecycleRecord,
  STORE_RECORD_VERSION,
  type Stored,
  type TaskLifecycleRecord,
} from './store-records.js';
import { checkLeasable, nextStatus } from './stored-task.js';
import { TurnTransaction } from './turn-transaction.js';

/** A SQLite store, with what its tests and benchmarks look at. */
export interface SqliteStore extends Store {
  readonly path: string;
  /** Transactions committed since it opened: one per event loop turn that wrote. */
  readonly commits: number;
  /** The schema version the file had when opened (0: new) and has now. */
  readonly schema: { readonly from: number; readonly to: number };
}

class SqliteStoreImpl implements SqliteStore {
  readonly kind = 'sqlite';
  readonly durable = true;
  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #turn: TurnTransaction;
  readonly #appendTask: (record: TaskLifecycleRecord) => void;
  readonly #appendAgent: (record: AgentLifecycleRecord) => void;
  readonly #claim: (claim: LeaseClaim) => LeaseResult;
  readonly #renew: (renewal: LeaseRenewal) => LeaseResult;
  readonly #compact: (options: CompactOptions) => CompactResult;
  #closed = false;

  constructor(
    readonly path: string,
    db: Database.Database,
    readonly schema: { from: number; to: number },
  ) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#turn = new TurnTransaction(db, path);
    // Each write is a db.transaction: inside the turn's transaction it runs as a savepoint.
    this.#appendTask = db.transaction((record) => this.#writeTask(record));
    this.#appendAgent = db.transaction((record) => this.#writeAgent(record));
    this.#claim = db.transaction((claim) => this.#writeClaim(claim));
    this.#renew = db.transaction((renewal) => this.#writeRenewal(renewal));
    this.#compact = db.transaction((options) => this.#writeCompaction(options));
  }

  get commits(): number {
    return this.#turn.commits;
  }

  appendTask(record: TaskLifecycleRecord): void {
    this.#check('appendTask');
    const accepted = acceptTaskRecord(record);
    this.#turn.write(() => this.#appendTask(accepted));
  }

  appendAgent(record: AgentLifecycleRecord): void {
    this.#check('appendAgent');
    const accepted = acceptAgentRecord(record);
    this.#turn.write(() => this.#appendAgent(accepted));
  }

  claimOwner(claim: OwnerClaim): OwnerResult {
    this.#check('claimOwner');
    return this.#turn.write(() => {
      const result = decideOwner(this.#sql.ownerOf.get() as OwnerRow | undefined, claim);
      if (result.ok) this.#sql.putOwner.run({ holder: claim.holder, until: claim.until });
      return result;
    });
  }

  releaseOwner(holder: string): void {
    this.#check('releaseOwner');
    this.#turn.write(() => this.#sql.deleteOwner.run(holder));
  }

  claimLease(claim: LeaseClaim): LeaseResult {
    this.#check('claimLease');
    return this.#turn.write(() => this.#claim(claim));
  }

  renewLease(renewal: LeaseRenewal): LeaseResult {
    this.#check('renewLease');
    return this.#turn.write(() => this.#renew(renewal));
  }

  releaseLease(taskId: string, owner: string): boolean {
    this.#check('releaseLease');
    if (this.#leaseOf(taskId)?.owner !== owner) return false;
    this.#turn.write(() => this.#sql.deleteLease.run(taskId));
    return true;
  }

  expireLeases(now: number): readonly Lease[] {
    this.#check('expireLeases');
    const expired = this.#expired(now);
    if (expired.length > 0) this.#turn.write(() => this.#sql.deleteExpiredLeases.run(now));
    return expired;
  }

  load(now: number): StoreContents {
    this.#check('load');
    const tasks = (this.#sql.tasks.all() as TaskRow[]).map(taskFromRow);
    const agents = (this.#sql.latestAgents.all() as RecordRow[]).map(agentRecordFromRow);
    return { tasks, expiredLeases: this.#expired(now), agents };
  }

  history(taskId: string): readonly Stored<TaskLifecycleRecord>[] {
    this.#check('history');
    const rows = this.#sql.history.all(taskId) as (RecordRow & HeldByTaskRow)[];
    return rows.map((row) => taskRecordFromRow(wholeRecordRow(taskId, row, row)));
  }

  compact(options: CompactOptions): CompactResult {
    this.#check('compact');
    return this.#turn.write(() => this.#compact(options));
  }

  forgetFinished(taskIds: readonly string[]): void {
    this.#check('forgetFinished');
    this.#turn.write(() => {
      for (const id of taskIds) {
        this.#sql.forgetFinishedRecords.run(id, id);
        this.#sql.forgetFinishedTask.run(id);
      }
    });
  }

  putTeamRun(run: StoredTeamRun): void {
    this.#check('putTeamRun');
    const data = toJson(run.data, run.runId, 'team run');
    this.#turn.write(() => this.#sql.putTeamRun.run(run.runId, run.at, data));
  }

  deleteTeamRun(runId: string): void {
    this.#check('deleteTeamRun');
    this.#turn.write(() => this.#sql.deleteTeamRun.run(runId));
  }

  teamRuns(): readonly StoredTeamRun[] {
    this.#check('teamRuns');
    const rows = this.#sql.teamRuns.all() as { run_id: string; at: number; data: string }[];
    return rows.map((row) => ({
      runId: row.run_id,
      at: row.at,
      data: teamRunDataFromRow(row.data, row.run_id),
    }));
  }

  checkOutput(taskId: string, output: unknown): void {
    toJson(output, taskId, 'output');
  }

  flush(): Promise<void> {
    return this.#turn.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const done = this.#turn.flush();
    this.#turn.commit();
    try {
      await done;
    } finally {
      this.#db.close();
    }
  }

  #writeTask(record: TaskLifecycleRecord): void {
    const { taskId } = record;
    const status = nextStatus(this.#sql.stateOf.get(taskId) as TaskState | undefined, record);
    const columns = statusColumns(taskId, status);
    const body = isTerminal(status.state)
      ? endRowBody(record)
      : compactBody(record, (rest) => toJson(rest, taskId, 'record'));
    if (record.kind === 'task.submitted') {
      const spec = toJson(record.spec, taskId, 'spec');
      this.#sql.insertTask.run({ ...columns, spec, submitted_at: record.at });
    } else {
      this.#sql.updateStatus.run(columns);
      if (isTerminal(status.state)) this.#sql.deleteLease.run(taskId);
    }
    this.#sql.insertTaskRecord.run(taskId, record.kind, STORE_RECORD_VERSION, body);
  }

  #writeAgent(record: AgentLifecycleRecord): void {
    const body = toJson(record, record.agentId, 'record');
    this.#sql.insertAgentRecord.run(record.agentId, record.kind, STORE_RECORD_VERSION, body);
  }

  #writeClaim(claim: LeaseClaim): LeaseResult {
    checkLeasable(claim.taskId, this.#sql.stateOf.get(claim.taskId) as TaskState | undefined);
    const result = decideClaim(this.#leaseOf(claim.taskId), claim);
    if (result.ok) this.#sql.putLease.run(result.lease);
    return result;
  }

  #writeRenewal(renewal: LeaseRenewal): LeaseResult {
    const result = decideRenewal(this.#leaseOf(renewal.taskId), renewal);
    if (result.ok) this.#sql.putLease.run(result.lease);
    return result;
  }

  #writeCompaction({ now, retainTerminalMs }: CompactOptions): CompactResult {
    let recordsDropped = 0;
    let tasksForgotten = 0;
    if (retainTerminalMs !== undefined && Number.isFinite(retainTerminalMs)) {
      const window = { now, retain: retainTerminalMs };
      recordsDropped += this.#sql.forgetRecords.run(window).changes;
      tasksForgotten = this.#sql.forgetTasks.run(window).changes;
    }
    recordsDropped += this.#sql.dropTerminalHistory.run().changes;
    recordsDropped += this.#sql.dropOldAgentRecords.run().changes;
    return { recordsDropped, tasksForgotten };
  }

  #leaseOf(taskId: string): Lease | undefined {
    const row = this.#sql.leaseOf.get(taskId) as LeaseRow | undefined;
    return row === undefined ? undefined : leaseFromRow(row);
  }

  #expired(now: number): Lease[] {
    return (this.#sql.expiredLeases.all(now) as LeaseRow[]).map(leaseFromRow);
  }

  #check(operation: string): void {
    if (this.#closed) throw new StoreClosed(operation);
  }
}

/**
 * A durable store in the SQLite file at `path`, created if missing. Refuses a file that
 * is not an overseer store (ForeignStoreFile) or was written by a newer overseer
 * (StoreSchemaTooNew); brings an older one up to date by its migrations.
 *
 * @example
 * const store = sqliteStore('overseer.db', { synchronous: 'normal' });
 */
export function sqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const settings = { ...sqliteStoreDefaults, ...options };
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: settings.busyTimeoutMs });
  } catch (cause) {
    throw new StoreOpenFailed(path, { cause });
  }
  try {
    const schema = migrateSchema(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${settings.synchronous.toUpperCase()}`);
    return new SqliteStoreImpl(path, db, schema);
  } catch (error) {
    db.close();
    throw error;
  }
}
