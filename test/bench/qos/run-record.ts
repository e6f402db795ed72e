// What one run of a policy did, task by task, as the harness saw it: when each task was
// submitted and ended and how, and how long its attempts kept an agent busy (measured in
// the handler, from its start to its end or abort). Figures are computed from this alone.
import { CLASSES } from './classes.js';
import type { Workload } from './workload.js';

export const OUTCOMES = ['unfinished', 'completed', 'failed', 'cancelled', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export class RunRecord {
  /** Index in CLASSES of each task's class. */
  readonly classOf: Uint8Array;
  /** The batch each task belongs to. */
  readonly batchOf: Int32Array;
  /** Index of each batch's first task. */
  readonly firstOf: Int32Array;
  readonly submittedAt: Float64Array;
  /** When its first attempt started (its handler ran); NaN if it never did. */
  readonly startedAt: Float64Array;
  /** When the task ended (completed, failed, cancelled; rejected: at submit); NaN until then. */
  readonly endedAt: Float64Array;
  /** Index in OUTCOMES. */
  readonly outcome: Uint8Array;
  /** Agent time its attempts took, ms. */
  readonly busyMs: Float64Array;
  /** Agent time spent within the arrival period (attempts clipped to it), ms. */
  busyInPeriodMs = 0;
  attempts = 0;
  failedAttempts = 0;
  /** `agent.unresponsive` and `agent.failed` events: none expected (heartbeats hold). */
  agentTrouble = 0;
  /** `agent.limit` events with the breaker open (adaptive concurrency). */
  breakerOpens = 0;
  /** Submissions refused with an error other than Overloaded or QueueFull. */
  readonly unexpected: string[] = [];
  /** Tasks arrived and not yet ended or rejected. */
  open = 0;
  /** Simulated time the last task ended, ms. */
  lastEndMs = 0;
  /** Wall time the run took, ms. */
  wallMs = 0;
  /** Timers the simulated clock ran. */
  timers = 0;

  constructor(readonly workload: Workload) {
    const n = workload.tasks;
    this.classOf = new Uint8Array(n);
    this.batchOf = new Int32Array(n);
    this.firstOf = new Int32Array(workload.batches.length);
    this.submittedAt = new Float64Array(n);
    this.startedAt = new Float64Array(n).fill(Number.NaN);
    this.endedAt = new Float64Array(n).fill(Number.NaN);
    this.outcome = new Uint8Array(n);
    this.busyMs = new Float64Array(n);
    let i = 0;
    for (const batch of workload.batches) {
      this.firstOf[batch.index] = i;
      const cls = CLASSES.findIndex((c) => c.name === batch.cls);
      for (let k = 0; k < batch.serviceMs.length; k++, i++) {
        this.classOf[i] = cls;
        this.batchOf[i] = batch.index;
      }
    }
  }

  arrived(task: number, atMs: number): void {
    this.submittedAt[task] = atMs;
    this.open++;
  }

  ended(task: number, atMs: number, outcome: Outcome): void {
    if (this.outcome[task] !== 0) return;
    this.outcome[task] = OUTCOMES.indexOf(outcome);
    this.endedAt[task] = atMs;
    this.lastEndMs = Math.max(this.lastEndMs, atMs);
    this.open--;
  }

  started(task: number, atMs: number): void {
    if (Number.isNaN(this.startedAt[task])) this.startedAt[task] = atMs;
  }

  /** An attempt of the task kept its agent busy from `fromMs` to `toMs`. */
  worked(task: number, fromMs: number, toMs: number, failed: boolean): void {
    this.busyMs[task] = (this.busyMs[task] ?? 0) + (toMs - fromMs);
    const end = this.workload.durationMs;
    this.busyInPeriodMs += Math.min(toMs, end) - Math.min(fromMs, end);
    this.attempts++;
    if (failed) this.failedAttempts++;
  }

  outcomeOf(task: number): Outcome {
    return OUTCOMES[this.outcome[task] ?? 0] as Outcome;
  }

  /** Completed within its class's SLO of its submit. */
  onTime(task: number): boolean {
    const cls = CLASSES[this.classOf[task] ?? 0];
    return (
      this.outcome[task] === 1 &&
      (this.endedAt[task] as number) - (this.submittedAt[task] as number) <= (cls?.sloMs ?? 0)
    );
  }
}

/** The task index of a benchmark task id (`t<index>`). */
export const taskIndex = (taskId: string): number => Number(taskId.slice(1));
export const taskId = (index: number): string => `t${index}`;
