// The default store: everything in the process's memory, so nothing survives it. It keeps
// the same rules and order as the durable stores, so a system behaves alike on either.
// Values (inputs, outputs, snapshots) are kept by reference, not copied or serialized.

import { StoreClosed } from '../errors/index.js';
import { isTerminal } from '../tasks/task-record.js';
import {
  decideClaim,
  decideRenewal,
  isExpired,
  type Lease,
  type LeaseClaim,
  type LeaseRenewal,
} from './lease.js';
import {
  newRecordLog,
  type RecordLog,
  type RecordLogKind,
  restoredRecordLog,
  type StoredLines,
} from './record-log.js';
import { acceptAgentRecord, acceptTaskRecord } from './record-shapes.js';
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
  type StoredTaskSpec,
  type TaskLifecycleRecord,
} from './store-records.js';
import {
  checkLeasable,
  nextStatus,
  type StoredTask,
  type StoredTaskStatus,
} from './stored-task.js';

/** What `restore` fills a memory store with. */
export interface MirrorContents {
  /** Each task with its records as the lines the durable store holds (record-log.ts). */
  readonly tasks: readonly (StoredTask & { readonly lines: StoredLines })[];
  readonly agents: readonly Stored<AgentLifecycleRecord>[];
  readonly teamRuns: readonly StoredTeamRun[];
  readonly owner?: OwnerRow | undefined;
  /** The highest task record seq ever written: numbering goes on above it. */
  readonly recordSeq?: number;
}

interface Entry {
  readonly seq: number;
  readonly spec: StoredTaskSpec;
  readonly submittedAt: number;
  status: StoredTaskStatus;
  readonly records: RecordLog;
}

/** The memory store's class: also the in-memory mirror of the PostgreSQL store. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly durable = false;
  /** In submission order: entries are only ever added at submission. */
  readonly #tasks = new Map<string, Entry>();
  readonly #leases = new Map<string, Lease>();
  /** Each agent's records, the most recently changed agent last. */
  readonly #agents = new Map<string, Stored<AgentLifecycleRecord>[]>();
  #taskSeq = 0;
  #recordSeq = 0;
  #agentSeq = 0;
  #closed = false;
  #owner: OwnerRow | undefined;
  /** The least recently saved first: a save moves a run to the end. */
  readonly #teamRuns = new Map<string, StoredTeamRun>();

  /** `records`: how a task's records are kept (record-log.ts); a mirror keeps `lines`. */
  constructor(private readonly records: RecordLogKind = 'objects') {}

  appendTask(input: TaskLifecycleRecord): void {
    this.#check('appendTask');
    this.appendAccepted(acceptTaskRecord(input));
  }

  /**
   * @internal A record `acceptTaskRecord` already returned: the PostgreSQL store accepts
   * each record once, to encode it (`body`: its JSON without seq and v), before its mirror
   * takes it.
   */
  appendAccepted(record: TaskLifecycleRecord, body?: string): void {
    this.#check('appendTask');
    const entry = this.#tasks.get(record.taskId);
    const status = nextStatus(entry?.status.state, record);
    const seq = ++this.#recordSeq;
    if (record.kind === 'task.submitted') {
      const records = newRecordLog(this.records);
      records.append(record, seq, body);
      this.#tasks.set(record.taskId, {
        seq: ++this.#taskSeq,
        spec: record.spec,
        submittedAt: record.at,
        status,
        records,
      });
      return;
    }
    if (entry === undefined) return;
    entry.status = status;
    entry.records.append(record, seq, body);
    if (isTerminal(status.state)) this.#leases.delete(record.taskId);
  }

  appendAgent(input: AgentLifecycleRecord): void {
    this.#check('appendAgent');
    const record = acceptAgentRecord(input);
    const records = this.#agents.get(record.agentId) ?? [];
    records.push({ ...record, seq: ++this.#agentSeq, v: STORE_RECORD_VERSION });
    this.#agents.delete(record.agentId);
    this.#agents.set(record.agentId, records);
  }

  claimOwner(claim: OwnerClaim): OwnerResult {
    this.#check('claimOwner');
    const result = decideOwner(this.#owner, claim);
    if (result.ok) this.#owner = { holder: claim.holder, until: claim.until };
    return result;
  }

  releaseOwner(holder: string): void {
    this.#check('releaseOwner');
    if (this.#owner?.holder === holder) this.#owner = undefined;
  }

  claimLease(claim: LeaseClaim) {
    this.#check('claimLease');
    checkLeasable(claim.taskId, this.#tasks.get(claim.taskId)?.status.state);
    const result = decideClaim(this.#leases.get(claim.taskId), claim);
    if (result.ok) this.#leases.set(claim.taskId, result.lease);
    return result;
  }

  renewLease(renewal: LeaseRenewal) {
    this.#check('renewLease');
    const result = decideRenewal(this.#leases.get(renewal.taskId), renewal);
    if (result.ok) this.#leases.set(renewal.taskId, result.lease);
    return result;
  }

  /** The lease on `taskId` now, if any (the PostgreSQL store's mirror asks). */
  leaseOf(taskId: string): Lease | undefined {
    return this.#leases.get(taskId);
  }

  releaseLease(taskId: string, owner: string): boolean {
    this.#check('releaseLease');
    if (this.#leases.get(taskId)?.owner !== owner) return false;
    return this.#leases.delete(taskId);
  }

  expireLeases(now: number): readonly Lease[] {
    this.#check('expireLeases');
    const expired = this.#expired(now);
    for (const lease of expired) this.#leases.delete(lease.taskId);
    return expired;
  }

  load(now: number): StoreContents {
    this.#check('load');
    const tasks: StoredTask[] = [];
    for (const [taskId, entry] of this.#tasks) {
      const { seq, spec, submittedAt, status } = entry;
      tasks.push({ taskId, seq, spec, submittedAt, ...status, lease: this.#leases.get(taskId) });
    }
    const agents = [...this.#agents.values()].flatMap((records) => records.slice(-1));
    return { tasks, expiredLeases: this.#expired(now), agents };
  }

  history(taskId: string): readonly Stored<TaskLifecycleRecord>[] {
    this.#check('history');
    const entry = this.#tasks.get(taskId);
    return entry ? entry.records.all(taskId, entry.spec) : [];
  }

  compact({ now, retainTerminalMs = Number.POSITIVE_INFINITY }: CompactOptions): CompactResult {
    this.#check('compact');
    let recordsDropped = 0;
    let tasksForgotten = 0;
    for (const [taskId, entry] of this.#tasks) {
      const { finishedAt } = entry.status;
      if (finishedAt === undefined) continue;
      if (finishedAt + retainTerminalMs <= now) {
        recordsDropped += entry.records.count;
        tasksForgotten++;
        this.#tasks.delete(taskId);
      } else {
        recordsDropped += entry.records.count - 1;
        entry.records.keepLast();
      }
    }
    for (const [agentId, records] of this.#agents) {
      recordsDropped += records.length - 1;
      this.#agents.set(agentId, records.slice(-1));
    }
    return { recordsDropped, tasksForgotten };
  }

  forgetFinished(taskIds: readonly string[]): void {
    this.#check('forgetFinished');
    for (const taskId of taskIds)
      if (this.#tasks.get(taskId)?.status.finishedAt !== undefined) this.#tasks.delete(taskId);
  }

  putTeamRun(run: StoredTeamRun): void {
    this.#check('putTeamRun');
    // A copy: the run goes on changing what it saved. (A value that cannot be copied throws.)
    const saved = { runId: run.runId, at: run.at, data: structuredClone(run.data) };
    this.#teamRuns.delete(run.runId);
    this.#teamRuns.set(run.runId, saved);
  }

  deleteTeamRun(runId: string): void {
    this.#check('deleteTeamRun');
    this.#teamRuns.delete(runId);
  }

  teamRuns(): readonly StoredTeamRun[] {
    this.#check('teamRuns');
    return [...this.#teamRuns.values()].map((run) => ({ ...run, data: structuredClone(run.data) }));
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Fills an empty store with what a durable store read back (the PostgreSQL store's
   * mirror): tasks with their status and history, leases, agents' latest records, the owner.
   * A task's history is kept as the lines read, parsed only when `history` asks for it.
   */
  restore(contents: MirrorContents): void {
    for (const task of contents.tasks) {
      const { taskId, seq, spec, submittedAt, lease, lines, ...status } = task;
      const records = restoredRecordLog(lines);
      this.#tasks.set(taskId, { seq, spec, submittedAt, status, records });
      if (lease) this.#leases.set(taskId, lease);
      this.#taskSeq = Math.max(this.#taskSeq, seq);
      this.#recordSeq = Math.max(this.#recordSeq, lines.lastSeq);
    }
    for (const record of contents.agents) {
      this.#agents.set(record.agentId, [record]);
      this.#agentSeq = Math.max(this.#agentSeq, record.seq);
    }
    this.#recordSeq = Math.max(this.#recordSeq, contents.recordSeq ?? 0);
    for (const run of contents.teamRuns) this.#teamRuns.set(run.runId, run);
    this.#owner = contents.owner;
  }

  /** A task's seq, status and latest record's seq, as the mirror's writer reads them after a change. */
  latest(taskId: string): { seq: number; status: StoredTaskStatus; recordSeq: number } | undefined {
    const entry = this.#tasks.get(taskId);
    return entry && { seq: entry.seq, status: entry.status, recordSeq: entry.records.lastSeq };
  }

  /** An agent's latest record. */
  latestAgent(agentId: string): Stored<AgentLifecycleRecord> | undefined {
    return this.#agents.get(agentId)?.at(-1);
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  /** Expired leases in submission order of their tasks. */
  #expired(now: number): Lease[] {
    return [...this.#leases.values()]
      .filter((lease) => isExpired(lease, now))
      .sort((a, b) => this.#seqOf(a.taskId) - this.#seqOf(b.taskId));
  }

  #seqOf(taskId: string): number {
    return this.#tasks.get(taskId)?.seq ?? 0;
  }

  #check(operation: string): void {
    if (this.#closed) throw new StoreClosed(operation);
  }
}

/** A store in memory: the default. Fast, and gone with the process. */
export function memoryStore(): Store {
  return new MemoryStore();
}
