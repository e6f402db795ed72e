// The summary a simulated run ends with, one shape for `overseer demo` and `overseer run`:
// what `--json` prints (numbers as numbers, units in the key names) and what the table shows.
// With QoS classes, each class adds its figures as flat keys (`qos.interactive.attainment`).
import type { OverseerEvent } from '../core/system-events.js';
import type { ClassOutcome } from '../observability/class-outcomes.js';
import type { SystemStats } from '../system/system-stats.js';
import type { DemoResult } from './demo-workload.js';

/** One figure of one QoS class, e.g. `qos.interactive.attainment`. */
export type ClassFigureKey = `qos.${string}.${ClassFigure}`;
/** Per class: its SLO, its tasks finished (any outcome), those completed within the SLO, and their share (0 to 1; 0 when none finished). */
export const CLASS_FIGURES = ['sloMs', 'finished', 'onTime', 'attainment'] as const;
export type ClassFigure = (typeof CLASS_FIGURES)[number];

export interface RunSummary {
  /** Tasks the run submitted (the demo: its `--tasks`). */
  readonly submitted: number;
  /** Submissions the system refused. */
  readonly rejected: number;
  readonly completed: number;
  readonly failed: number;
  /** Of `failed`, those that failed with `DeadlineExceeded`: past their deadline, or expired by their QoS class. */
  readonly deadlineExceeded: number;
  readonly cancelled: number;
  /** Accepted tasks in no final state when the run ended. */
  readonly unfinished: number;
  /** Attempts that failed and were retried. */
  readonly retriedAttempts: number;
  readonly agentRestarts: number;
  /** Median time from submission to a task's first attempt starting, simulated ms. */
  readonly submitToStartP50Ms: number;
  readonly submitToStartP99Ms: number;
  /** Simulated time when the run ended. */
  readonly simulatedTimeMs: number;
  /** Simulation invariants violated (`run` checks them); `null` where none were checked (the demo). */
  readonly invariantViolations: number | null;
  /** Per declared QoS class, in declaration order (none without classes). */
  readonly [classFigure: ClassFigureKey]: number;
}

/** What a run knows when it ends, from which its summary is drawn. */
export interface RunFacts {
  readonly stats: SystemStats;
  readonly submitted: number;
  readonly rejected: number;
  /** Submit-to-start latency of every task's first attempt, simulated ms, in any order. */
  readonly latenciesMs: readonly number[];
  readonly retried: number;
  readonly deadlineExceeded: number;
  readonly simulatedTimeMs: number;
  readonly invariantViolations: number | null;
  /** `system.metrics().qos`: each declared class's outcomes. */
  readonly classes: Readonly<Record<string, ClassOutcome>>;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

export function runSummary(facts: RunFacts): RunSummary {
  const { tasks, restarts } = facts.stats;
  const sorted = [...facts.latenciesMs].sort((a, b) => a - b);
  const accepted = facts.submitted - facts.rejected;
  return {
    submitted: facts.submitted,
    rejected: facts.rejected,
    completed: tasks.completed,
    failed: tasks.failed,
    deadlineExceeded: facts.deadlineExceeded,
    cancelled: tasks.cancelled,
    unfinished: Math.max(0, accepted - tasks.completed - tasks.failed - tasks.cancelled),
    retriedAttempts: facts.retried,
    agentRestarts: restarts,
    submitToStartP50Ms: percentile(sorted, 50),
    submitToStartP99Ms: percentile(sorted, 99),
    simulatedTimeMs: facts.simulatedTimeMs,
    invariantViolations: facts.invariantViolations,
    ...classFigures(facts.classes),
  };
}

/** Each class's figures as flat keys, e.g. `qos.batch.sloMs`. */
export function classFigures(
  classes: Readonly<Record<string, ClassOutcome>>,
): Record<ClassFigureKey, number> {
  const figures: Record<ClassFigureKey, number> = {};
  for (const [name, c] of Object.entries(classes)) {
    const values: Record<ClassFigure, number> = {
      sloMs: c.sloMs,
      finished: c.completed + c.failed + c.cancelled,
      onTime: c.onTime,
      attainment: c.attainment,
    };
    for (const figure of CLASS_FIGURES) figures[`qos.${name}.${figure}`] = values[figure];
  }
  return figures;
}

/** The summary of a demo run of `tasks` tasks. */
export function demoSummary(result: DemoResult, tasks: number): RunSummary {
  return runSummary({
    stats: result.system.stats(),
    submitted: tasks,
    rejected: result.rejected,
    latenciesMs: result.latenciesMs,
    retried: result.retried,
    deadlineExceeded: result.deadlineExceeded,
    simulatedTimeMs: result.clock.now(),
    invariantViolations: null,
    classes: result.system.metrics().qos,
  });
}

/** First-attempt submit-to-start latencies, retried attempts and deadline failures, read from a run's events. */
export function historyFacts(
  history: readonly OverseerEvent[],
): Pick<RunFacts, 'latenciesMs' | 'retried' | 'deadlineExceeded'> {
  const submittedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let retried = 0;
  let deadlineExceeded = 0;
  for (const event of history) {
    if (event.type === 'task.submitted') submittedAt.set(event.taskId, event.at);
    else if (event.type === 'task.retrying') retried++;
    else if (event.type === 'task.failed' && event.error.code === 'DeadlineExceeded')
      deadlineExceeded++;
    else if (event.type === 'task.started' && event.attempt === 1) {
      const at = submittedAt.get(event.taskId);
      if (at !== undefined) latenciesMs.push(event.at - at);
    }
  }
  return { latenciesMs, retried, deadlineExceeded };
}
