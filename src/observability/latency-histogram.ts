// A latency histogram with fixed buckets: memory is O(buckets) however many values it
// records. Quantiles are estimated by linear interpolation inside the bucket that holds
// them (as Prometheus' histogram_quantile does), clamped to the exact min and max.

/** Upper bounds of the buckets in ms; a last, unbounded bucket catches the rest. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000,
];

/** A latency histogram at one moment. Values are ms; undefined while `count` is 0. */
export interface HistogramSnapshot {
  /** Values recorded. */
  readonly count: number;
  /** Sum of all values, in ms. */
  readonly sum: number;
  /** Smallest value, exact. */
  readonly min: number | undefined;
  /** Largest value, exact. */
  readonly max: number | undefined;
  /** Median, estimated inside its bucket (see the file's header). */
  readonly p50: number | undefined;
  readonly p90: number | undefined;
  readonly p99: number | undefined;
  /**
   * Count of values at or below each bound `le` in ms (cumulative, as Prometheus reports),
   * ending with `le: Infinity` (which JSON.stringify writes as null).
   */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

/** Records latencies in ms into the fixed buckets of LATENCY_BUCKETS_MS. */
export class LatencyHistogram {
  readonly #counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  record(ms: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > (LATENCY_BUCKETS_MS[i] as number)) i++;
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
    this.#count++;
    this.#sum += ms;
    if (ms < this.#min) this.#min = ms;
    if (ms > this.#max) this.#max = ms;
  }

  snapshot(): HistogramSnapshot {
    const empty = this.#count === 0;
    let running = 0;
    const buckets = [...LATENCY_BUCKETS_MS, Number.POSITIVE_INFINITY].map((le, i) => {
      running += this.#counts[i] ?? 0;
      return { le, count: running };
    });
    return {
      count: this.#count,
      sum: this.#sum,
      min: empty ? undefined : this.#min,
      max: empty ? undefined : this.#max,
      p50: this.#quantile(0.5),
      p90: this.#quantile(0.9),
      p99: this.#quantile(0.99),
      buckets,
    };
  }

  #quantile(q: number): number | undefined {
    if (this.#count === 0) return undefined;
    const rank = q * this.#count;
    let below = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      const inBucket = this.#counts[i] ?? 0;
      if (below + inBucket >= rank && inBucket > 0) {
        const lower = i === 0 ? 0 : (LATENCY_BUCKETS_MS[i - 1] as number);
        const upper = LATENCY_BUCKETS_MS[i] ?? this.#max;
        const estimate = lower + ((upper - lower) * (rank - below)) / inBucket;
        return Math.min(this.#max, Math.max(this.#min, estimate));
      }
      below += inBucket;
    }
    return this.#max;
  }
}
