// Time to recover after a burst, from the interactive tasks' queueing delay. The off-phases
// that follow bursts are cut into windows by submit time and laid over one another
// (window k: the k-th RECOVERY_WINDOW_MS after any burst's end), so the ten bursts of a
// full run average out the noise of a few interactive batches per window. The system has
// recovered at the start of the first window from which every later one has a mean
// interactive queueing delay within RECOVERED_DELAY_MS; queueing delay and not attainment,
// so a heavy-tailed task alone does not count against it.
import { CLASSES } from './classes.js';
import type { RunRecord } from './run-record.js';

export const RECOVERY_WINDOW_MS = 5_000;
/** Mean submit-to-start of interactive tasks that counts as recovered: a third of the SLO. */
export const RECOVERED_DELAY_MS = 1_000;

export interface Recovery {
  /** From a burst's end to recovery, ms; NaN when no burst was followed by an off-phase. */
  readonly ms: number;
  /** The off-phase's last window was still above the bound: `ms` is the whole phase. */
  readonly unrecovered: boolean;
  /** Mean interactive queueing delay in the first window after a burst, ms. */
  readonly firstWindowDelayMs: number;
  /** Bursts followed by an off-phase within the run. */
  readonly bursts: number;
}

/**
 * A task's queueing delay: submit to its first start, at most its class's SLO; a task that
 * never started (rejected, expired in the queue) counts as the whole SLO.
 */
function delayOf(record: RunRecord, task: number, sloMs: number): number {
  const delay = (record.startedAt[task] as number) - (record.submittedAt[task] as number);
  return Number.isNaN(delay) ? sloMs : Math.min(delay, sloMs);
}

export function recoveryOf(record: RunRecord): Recovery {
  const { bursts, phaseMs, durationMs, tasks } = record.workload;
  const interactive = CLASSES.findIndex((c) => c.name === 'interactive');
  const sloMs = CLASSES[interactive]?.sloMs ?? 0;
  const windows = Math.ceil(phaseMs / RECOVERY_WINDOW_MS);
  const count = new Array<number>(windows).fill(0);
  const delay = new Array<number>(windows).fill(0);
  const ends = bursts.map(([, end]) => end).filter((end) => end + phaseMs <= durationMs);
  for (let task = 0; task < tasks; task++) {
    if (record.classOf[task] !== interactive) continue;
    const at = record.submittedAt[task] as number;
    const end = ends.find((e) => at >= e && at < e + phaseMs);
    if (end === undefined) continue;
    const w = Math.floor((at - end) / RECOVERY_WINDOW_MS);
    count[w] = (count[w] as number) + 1;
    delay[w] = (delay[w] as number) + delayOf(record, task, sloMs);
  }
  const mean = (w: number) =>
    (count[w] as number) > 0 ? (delay[w] as number) / (count[w] as number) : 0;
  let from = windows;
  while (from > 0 && mean(from - 1) <= RECOVERED_DELAY_MS) from--;
  return {
    ms: ends.length === 0 ? Number.NaN : Math.min(from * RECOVERY_WINDOW_MS, phaseMs),
    unrecovered: from === windows,
    firstWindowDelayMs: ends.length === 0 ? Number.NaN : mean(0),
    bursts: ends.length,
  };
}
