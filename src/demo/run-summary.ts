// The summary a simulated run ends with, one shape for `overseer demo` and `overseer run`:
// what `--json` prints (numbers as numbers, units in the key names) and what the table shows.
import type { OverseerEvent } from '../core/system-events.js';
import type { SystemStats } from '../system/system-stats.js';
import type { DemoResult } from './demo-workload.js';

export interface RunSummary {
  /** Tasks the run submitted (the demo: its `--tasks`). */
  readonly submitted: number;
  /** Submissions the system refused. */
  readonly rejected: number;
  readonly completed: number;
  readonly failed: number;
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
}

/** What a run knows when it ends, from which its summary is drawn. */
export interface RunFacts {
  readonly stats: SystemStats;
  readonly submitted: number;
  readonly rejected: number;
  /** Submit-to-start latency of every task's first attempt, simulated ms, in any order. */
  readonly latenciesMs: readonly number[];
  readonly retried: number;
  readonly simulatedTimeMs: number;
  readonly invariantViolations: number | null;
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
    cancelled: tasks.cancelled,
    unfinished: Math.max(0, accepted - tasks.completed - tasks.failed - tasks.cancelled),
    retriedAttempts: facts.retried,
    agentRestarts: restarts,
    submitToStartP50Ms: percentile(sorted, 50),
    submitToStartP99Ms: percentile(sorted, 99),
    simulatedTimeMs: facts.simulatedTimeMs,
    invariantViolations: facts.invariantViolations,
  };
}

/** The summary of a demo run of `tasks` tasks. */
export function demoSummary(result: DemoResult, tasks: number): RunSummary {
  return runSummary({
    stats: result.system.stats(),
    submitted: tasks,
    rejected: 0,
    latenciesMs: result.latenciesMs,
    retried: result.retried,
    simulatedTimeMs: result.clock.now(),
    invariantViolations: null,
  });
}

/** First-attempt submit-to-start latencies and retried attempts, read from a run's events. */
export function historyFacts(
  history: readonly OverseerEvent[],
): Pick<RunFacts, 'latenciesMs' | 'retried'> {
  const submittedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let retried = 0;
  for (const event of history) {
    if (event.type === 'task.submitted') submittedAt.set(event.taskId, event.at);
    else if (event.type === 'task.retrying') retried++;
    else if (event.type === 'task.started' && event.attempt === 1) {
      const at = submittedAt.get(event.taskId);
      if (at !== undefined) latenciesMs.push(event.at - at);
    }
  }
  return { latenciesMs, retried };
}
