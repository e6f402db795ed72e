// The contract every system in the distributed row is driven by, so the figures compare:
// a producer in the bench process submits N no-op jobs in batches of SUBMIT_BATCH as fast
// as it can, noting each job's submit time (Date.now() as its batch call is made);
// WORKER_PROCESSES worker processes at CONCURRENCY_PER_WORKER each note Date.now() at
// handler entry and return at once. Submit-to-start is start − submit per job (one
// machine, one clock); throughput is N over first submit to the last completion a worker
// saw. Workers keep their notes in memory and send them over the IPC channel only after
// the run (progress counts go every PROGRESS_MS), so reporting costs the run nothing.
import { quantile } from '../harness.js';
import { machineBusySeconds } from './machine-cpu.js';

export const WORKER_PROCESSES = 2;
export const CONCURRENCY_PER_WORKER = 50;
/** Jobs per batch insert call (addJobs, insert, addBulk). */
export const SUBMIT_BATCH = 1_000;
/** How often a worker tells the bench how many jobs it has completed, in ms. */
export const PROGRESS_MS = 100;

/** Where a system may keep its jobs: a fresh PostgreSQL database of its own. */
export interface BenchEnv {
  readonly pgUrl: string;
  /** Slots per worker process instead of CONCURRENCY_PER_WORKER (overseer only, by hand). */
  readonly concurrencyPerWorker?: number;
}

export interface Figures {
  readonly jobsPerSec: number;
  /**
   * The whole machine's CPU from the first submit to the figures, per job, in µs: every
   * process of the run (producer, workers, database, kernel). Absent off Linux.
   */
  readonly machineCpuUsPerJob?: number;
  /** Overseer's part of it, by process: the supervisor's (with the producer), the nodes', the database's. */
  readonly split?: {
    readonly supervisor: number;
    readonly nodes: number;
    readonly database: number;
  };
  /** Submit-to-start, median, in ms. */
  readonly p50Ms: number;
  /** Submit-to-start, 99th percentile, in ms. */
  readonly p99Ms: number;
  readonly n: number;
}

export type RunSystem = (n: number, env: BenchEnv) => Promise<Figures>;

/** The payload every job carries: its index, 0 ≤ i < N. */
export interface NoopPayload {
  readonly i: number;
}

/** What a worker process sends the bench. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly completed: number }
  | {
      readonly type: 'report';
      /** Job indexes in the order they started, beside `startedAt`. */
      readonly indexes: readonly number[];
      /** Date.now() at handler entry, per entry of `indexes`. */
      readonly startedAt: readonly number[];
      readonly lastCompletedAt: number;
    };

/** What the bench sends a worker: send your notes, then stop. */
export type BenchMessage = { readonly type: 'report' };

/** Each job's submit time (Date.now() as its batch call was made), and the machine's CPU then. */
export interface Submitted {
  readonly at: Float64Array;
  readonly machineBusyS: number | undefined;
}

/** Submits `n` jobs through `submitBatch(from, count)` one batch after another. */
export async function submitInBatches(
  n: number,
  submitBatch: (from: number, count: number) => Promise<unknown>,
): Promise<Submitted> {
  const machineBusyS = machineBusySeconds();
  const submittedAt = new Float64Array(n);
  for (let from = 0; from < n; from += SUBMIT_BATCH) {
    const count = Math.min(SUBMIT_BATCH, n - from);
    submittedAt.fill(Date.now(), from, from + count);
    await submitBatch(from, count);
  }
  return { at: submittedAt, machineBusyS };
}

/** The workers' notes, merged: each job's first start, and the last completion seen. */
export interface Observed {
  readonly startedAt: Float64Array;
  readonly lastCompletedAt: number;
  /** Starts beyond the first of a job (a job run twice). */
  readonly repeats: number;
}

/** The row's figures; throws when a job never started, as the run then proves nothing. */
export function figuresOf(submitted: Submitted, observed: Observed): Figures {
  const busy = machineBusySeconds();
  const submittedAt = submitted.at;
  const n = submittedAt.length;
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = observed.startedAt[i] as number;
    if (Number.isNaN(started)) throw new Error(`job ${i} of ${n} never started`);
    waits.push(started - (submittedAt[i] as number));
  }
  waits.sort((a, b) => a - b);
  const wallMs = observed.lastCompletedAt - (submittedAt[0] as number);
  return {
    jobsPerSec: (n * 1_000) / wallMs,
    p50Ms: quantile(waits, 0.5),
    p99Ms: quantile(waits, 0.99),
    n,
    ...(busy === undefined || submitted.machineBusyS === undefined
      ? {}
      : { machineCpuUsPerJob: ((busy - submitted.machineBusyS) * 1e6) / n }),
  };
}
