// The Store: where a system writes what must survive its process, and reads it back to
// rebuild. Implementations: `memoryStore()` (default, not durable) and `sqliteStore(path)`.
import type { Lease, LeaseClaim, LeaseRenewal, LeaseResult } from './lease.js';
import type { AgentLifecycleRecord, Stored, TaskLifecycleRecord } from './store-records.js';
import type { StoredTask } from './stored-task.js';

/** Everything a runtime needs to rebuild a system, as `load` returns it. */
export interface StoreContents {
  /**
   * Every task the store still holds, in submission order, with its latest status and lease.
   * Terminal tasks are included, so their ids and idempotency keys stay taken.
   */
  readonly tasks: readonly StoredTask[];
  /** The leases expired at `now` (`until <= now`), in submission order of their tasks. */
  readonly expiredLeases: readonly Lease[];
  /** Each agent's latest record, the most recently changed last. */
  readonly agents: readonly Stored<AgentLifecycleRecord>[];
}

export interface CompactOptions {
  /** Clock time now, in ms. */
  readonly now: number;
  /**
   * How long a terminal task (its final record, and with it its id and idempotency key)
   * is kept after it finished, in ms; older ones are forgotten. Default: Infinity, forever.
   */
  readonly retainTerminalMs?: number;
}

export interface CompactResult {
  /** History records dropped: terminal tasks' records before their final one, old agent records. */
  readonly recordsDropped: number;
  /** Terminal tasks forgotten entirely, past `retainTerminalMs`. */
  readonly tasksForgotten: number;
}

/**
 * Appends lifecycle records, holds leases, and reads it all back. Every write takes effect
 * at once for reads through the same store, and atomically: a rejected write changes nothing.
 * Durability comes in batches: `flush()` resolves once everything written before it is
 * durable. Times are clock milliseconds passed by the caller; a store never reads a clock.
 *
 * @example
 * store.appendTask({ kind: 'task.submitted', taskId: spec.id, spec, at: now });
 * await store.flush(); // now `submit` may resolve
 */
export interface Store {
  /** Which implementation this is, e.g. `memory` or `sqlite`. */
  readonly kind: string;
  /** Whether what was flushed outlives the process. */
  readonly durable: boolean;

  /**
   * Records what happened to a task and updates its status. Throws InvalidStoreRecord for a
   * malformed record, a second submission or an unknown task, and TaskAlreadyTerminal for any
   * record after the task's terminal one. A terminal record also releases the task's lease.
   */
  appendTask(record: TaskLifecycleRecord): void;
  /** Records what happened to an agent. */
  appendAgent(record: AgentLifecycleRecord): void;

  /** Claims a submitted, unfinished task for `owner` (see `decideClaim` for when it succeeds). */
  claimLease(claim: LeaseClaim): LeaseResult;
  /** Extends the owner's live lease; fails once it expired or someone else holds it. */
  renewLease(renewal: LeaseRenewal): LeaseResult;
  /** Drops the owner's lease on the task; false when `owner` does not hold it. */
  releaseLease(taskId: string, owner: string): boolean;
  /** Drops every lease expired at `now` and returns them, in submission order of their tasks. */
  expireLeases(now: number): readonly Lease[];

  /** Everything needed to rebuild, as of clock time `now` (which decides what has expired). */
  load(now: number): StoreContents;
  /** A task's records in the order they were appended; empty for an unknown task. */
  history(taskId: string): readonly Stored<TaskLifecycleRecord>[];
  /** Drops history no rebuild needs and forgets terminal tasks past their retention. */
  compact(options: CompactOptions): CompactResult;
  /**
   * Forgets finished tasks entirely, records, id and idempotency key, as `compact` does past
   * `retainTerminalMs`: a system calls it for the finished tasks its `retainFinished` let go,
   * so what it holds stays bounded. An unknown or unfinished task's id is ignored. Absent:
   * the store keeps them until compacted.
   */
  forgetFinished?(taskIds: readonly string[]): void;

  /**
   * Resolves once every write made before the call is durable (for the memory store: at
   * once). Rejects with StoreWriteFailed if the batch holding them could not be committed.
   */
  flush(): Promise<void>;
  /**
   * Claims (or renews) the store for one live system until `until`: refused, naming the
   * holder, while another holder's claim has not expired. The claim is read and written in
   * one transaction, so two systems never both hold it.
   */
  claimOwner(claim: OwnerClaim): OwnerResult;
  /** Gives the store up, if `holder` holds it. */
  releaseOwner(holder: string): void;
  /**
   * Calls `lost` when the store finds, on a write, that another holder took it over (a
   * store shared by processes, such as PostgreSQL, learns it from the database). Absent:
   * only `claimOwner` tells.
   */
  watchOwner?(lost: (holder: string | undefined) => void): void;
  /** Saves a team run's state (src/teams/), replacing what was saved for it before. */
  putTeamRun(run: StoredTeamRun): void;
  /** Forgets a team run's saved state (it ended); does nothing when none is saved. */
  deleteTeamRun(runId: string): void;
  /** Every saved team run, the least recently saved first. */
  teamRuns(): readonly StoredTeamRun[];
  /**
   * Throws InvalidStoreRecord when the store could not hold `output` as task `taskId`'s
   * result (a BigInt or a cycle, for a store that writes JSON). Absent: it holds anything.
   */
  checkOutput?(taskId: string, output: unknown): void;
  /**
   * Makes pending writes durable and releases the store. Later calls throw StoreClosed,
   * except `flush` (resolves) and `close` (does nothing).
   */
  close(): Promise<void>;
}

/** A team run's saved state: what resuming it after a restart needs. */
export interface StoredTeamRun {
  readonly runId: string;
  /** Clock ms when it was saved. */
  readonly at: number;
  /** JSON-like (a durable store writes it as JSON): the run's machine snapshot and settings. */
  readonly data: unknown;
}

/** A system's claim on a store: `holder` keeps it until `until` (clock ms) unless renewed. */
export interface OwnerClaim {
  readonly holder: string;
  readonly now: number;
  readonly until: number;
}

export type OwnerResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly holder: string; readonly until: number };
