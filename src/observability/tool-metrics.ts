// Each tool's calls in `system.metrics().tools`: how many ended in each outcome, and how
// long calls took, from their `tool.called` events. One small entry per declared tool
// that has been called (a histogram of fixed buckets), however many calls it serves.
import type { EventStream } from '../core/event-stream.js';
import type { ToolOutcome } from '../core/system-events.js';
import { type HistogramSnapshot, LatencyHistogram } from './latency-histogram.js';

/** One tool in `system.metrics().tools`. */
export interface ToolFigures {
  /** Calls that ended, by how they ended. */
  readonly calls: Readonly<Record<ToolOutcome, number>>;
  /** Runs of its handler: a retried call runs it more than once; a rejected one not at all. */
  readonly runs: number;
  /** From each call to its end, in ms of the system clock (waits and retries included). */
  readonly latencyMs: HistogramSnapshot;
}

interface Tally {
  readonly calls: Record<ToolOutcome, number>;
  runs: number;
  readonly latency: LatencyHistogram;
}

export interface ToolMetrics {
  /** Every tool called so far, by name. */
  snapshot(): Record<string, ToolFigures>;
}

export function watchTools(events: EventStream): ToolMetrics {
  const tools = new Map<string, Tally>();
  events.on('tool.called', ({ tool, outcome, runs, ms }) => {
    let tally = tools.get(tool);
    if (!tally) {
      tally = {
        calls: { ok: 0, error: 0, timeout: 0, rejected: 0, cancelled: 0 },
        runs: 0,
        latency: new LatencyHistogram(),
      };
      tools.set(tool, tally);
    }
    tally.calls[outcome]++;
    tally.runs += runs;
    tally.latency.record(ms);
  });
  return {
    snapshot() {
      const out: Record<string, ToolFigures> = {};
      for (const [name, { calls, runs, latency }] of tools)
        out[name] = { calls: { ...calls }, runs, latencyMs: latency.snapshot() };
      return out;
    },
  };
}
