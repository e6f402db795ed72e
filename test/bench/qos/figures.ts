// The figures of one run, from its RunRecord: per class, SLO attainment of submitted tasks
// (a rejection is a miss), the share rejected, p99 from submit to end, goodput and batch
// attainment; over the run, goodput, wasted work and the time to recover after bursts
// (recovery.ts).
import { quantile } from '../harness.js';
import { CLASSES, type ClassName } from './classes.js';
import { type Recovery, recoveryOf } from './recovery.js';
import type { RunRecord } from './run-record.js';
import { AGENTS, CAPACITY_PER_S } from './workload.js';

export interface ClassFigures {
  readonly submitted: number;
  /** Completed within the class's SLO of submit. */
  readonly onTime: number;
  /** Share of submitted tasks on time (rejected, failed, expired and late ones miss). */
  readonly attainment: number;
  /** Share of submitted tasks refused at submit (Overloaded, QueueFull). */
  readonly rejected: number;
  /** p99 from submit to end (completed, failed or expired) of accepted tasks, ms. */
  readonly p99Ms: number;
  /** On-time tasks finished within the arrival period, per second, over the capacity. */
  readonly goodput: number;
  /** Share of batches whose every task was on time. */
  readonly batchAttainment: number;
}

export interface RunFigures {
  readonly byClass: Readonly<Record<ClassName, ClassFigures>>;
  readonly all: ClassFigures;
  /** Agent time spent on tasks that were not on time, over all agent time spent. */
  readonly wasted: number;
  /** Agent time spent within the arrival period over the agents' time in it. */
  readonly utilization: number;
  readonly recovery: Recovery;
}

export function figuresOf(record: RunRecord): RunFigures {
  const byClass = {} as Record<ClassName, ClassFigures>;
  CLASSES.forEach((c, i) => {
    byClass[c.name] = classFigures(record, (task) => record.classOf[task] === i);
  });
  let busy = 0;
  let wasted = 0;
  for (let task = 0; task < record.workload.tasks; task++) {
    const ms = record.busyMs[task] as number;
    busy += ms;
    if (!record.onTime(task)) wasted += ms;
  }
  return {
    byClass,
    all: classFigures(record, () => true),
    wasted: busy > 0 ? wasted / busy : 0,
    utilization: record.busyInPeriodMs / (AGENTS * record.workload.durationMs),
    recovery: recoveryOf(record),
  };
}

function classFigures(record: RunRecord, inClass: (task: number) => boolean): ClassFigures {
  const { durationMs, tasks } = record.workload;
  let submitted = 0;
  let onTime = 0;
  let rejected = 0;
  let goodTasks = 0;
  const latencies: number[] = [];
  const batchMissed = new Set<number>();
  const batches = new Set<number>();
  for (let task = 0; task < tasks; task++) {
    if (!inClass(task)) continue;
    submitted++;
    const batch = record.batchOf[task] as number;
    batches.add(batch);
    const outcome = record.outcomeOf(task);
    if (outcome === 'rejected') rejected++;
    else if (outcome !== 'unfinished')
      latencies.push((record.endedAt[task] as number) - (record.submittedAt[task] as number));
    if (record.onTime(task)) {
      onTime++;
      if ((record.endedAt[task] as number) <= durationMs) goodTasks++;
    } else batchMissed.add(batch);
  }
  latencies.sort((a, b) => a - b);
  return {
    submitted,
    onTime,
    attainment: submitted > 0 ? onTime / submitted : Number.NaN,
    rejected: submitted > 0 ? rejected / submitted : Number.NaN,
    p99Ms: quantile(latencies, 0.99),
    goodput: goodTasks / (durationMs / 1_000) / CAPACITY_PER_S,
    batchAttainment: batches.size > 0 ? 1 - batchMissed.size / batches.size : Number.NaN,
  };
}
