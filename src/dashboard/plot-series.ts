// The points of the dashboard's plots, one per feed update in which the system's clock
// moved: throughput, submit-to-start and run latency percentiles over the last interval
// (from the histograms' bucket counts, so a minute-old spike does not hide today's), queue
// depth, and each QoS class's attainment so far. A ring of `size` points.
import type { HistogramSnapshot, MetricsSnapshot } from '../observability/metrics.js';

export interface PlotPoint {
  /** Clock time, ms. */
  readonly at: number;
  /** Tasks finished (completed, failed, cancelled) per second of the clock since the last point. */
  readonly throughput: number;
  readonly submitToStartP50: number | null;
  readonly submitToStartP99: number | null;
  readonly runP50: number | null;
  readonly runP99: number | null;
  /** Unfinished tasks: ready, blocked, assigned, running, retrying. */
  readonly queueDepth: number;
  readonly ready: number;
  readonly running: number;
  /** Per QoS class: on-time share of its finished tasks so far (0 to 1). */
  readonly attainment: Readonly<Record<string, number>>;
}

type Buckets = HistogramSnapshot['buckets'];

export class PlotSeries {
  readonly #points: PlotPoint[] = [];
  #last: { at: number; finished: number; wait: Buckets; run: Buckets } | undefined;

  constructor(private readonly size: number) {}

  /** Adds a point from `m` if the clock moved since the last; returns it, or undefined. */
  sample(m: MetricsSnapshot): PlotPoint | undefined {
    const finished = m.tasks.completed + m.tasks.failed + m.tasks.cancelled;
    const wait = m.latency.submitToStartMs.buckets;
    const run = m.latency.runMs.buckets;
    const last = this.#last;
    if (last && m.at <= last.at) return undefined;
    const elapsedMs = last ? m.at - last.at : 0;
    const q = m.queue;
    const point: PlotPoint = {
      at: m.at,
      throughput: last && elapsedMs > 0 ? ((finished - last.finished) * 1_000) / elapsedMs : 0,
      submitToStartP50: windowQuantile(wait, last?.wait, 0.5),
      submitToStartP99: windowQuantile(wait, last?.wait, 0.99),
      runP50: windowQuantile(run, last?.run, 0.5),
      runP99: windowQuantile(run, last?.run, 0.99),
      queueDepth: q.ready + q.blocked + q.assigned + q.running + q.retrying,
      ready: q.ready,
      running: q.running,
      attainment: Object.fromEntries(Object.entries(m.qos).map(([k, c]) => [k, c.attainment])),
    };
    this.#last = { at: m.at, finished, wait, run };
    this.#points.push(point);
    if (this.#points.length > this.size) this.#points.shift();
    return point;
  }

  all(): readonly PlotPoint[] {
    return this.#points;
  }
}

/**
 * The `q` quantile of the values recorded between two cumulative bucket snapshots,
 * interpolated inside its bucket (as Prometheus' histogram_quantile); null when none.
 */
export function windowQuantile(
  now: Buckets,
  before: Buckets | undefined,
  q: number,
): number | null {
  const counts = now.map((b, i) => b.count - (before?.[i]?.count ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < counts.length; i++) {
    const below = i === 0 ? 0 : (counts[i - 1] as number);
    const upTo = counts[i] as number;
    if (upTo >= rank && upTo > below) {
      const lower = i === 0 ? 0 : (now[i - 1] as { le: number }).le;
      const upper = (now[i] as { le: number }).le;
      // The last bucket has no upper bound: report its lower edge.
      if (!Number.isFinite(upper)) return lower;
      return lower + ((upper - lower) * (rank - below)) / (upTo - below);
    }
  }
  return null;
}
