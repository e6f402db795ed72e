// The prom-client metrics of one exporter: all in one registry, named with one prefix,
// carrying the same fixed labels, read from one metrics snapshot per scrape, and removed
// together on close.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_MS } from './latency-histogram.js';
import type { MetricsSnapshot } from './metrics.js';

type Series = Readonly<Record<string, number>>;
/** Series of a metric with several labels: each row its label values, then its value. */
export type Rows = Iterable<readonly [labels: Readonly<Record<string, string>>, value: number]>;
type Read<T> = (snapshot: MetricsSnapshot) => T;

export class PrometheusMetricSet {
  readonly #registers: Registry[];
  readonly #fixed: string[];
  readonly #mine: [name: string, metric: unknown][] = [];
  #cached: MetricsSnapshot | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly prefix: string,
    private readonly labels: Readonly<Record<string, string>>,
    private readonly metrics: () => MetricsSnapshot,
  ) {
    this.#registers = [registry];
    this.#fixed = Object.keys(labels);
  }

  /** A gauge with one series per key of what `read` returns, labelled `label`. */
  gauge(name: string, help: string, label: string, read: Read<Series>): void {
    this.gaugeRows(name, help, [label], keyed(label, read));
  }

  /** A gauge with one series per row `read` returns, labelled `labelNames`. */
  gaugeRows(name: string, help: string, labelNames: readonly string[], read: Read<Rows>): void {
    const config = this.#perRow<Gauge>(name, help, labelNames, read, (g, labels, n) =>
      g.set(labels, n),
    );
    this.#own(name, new Gauge(config));
  }

  /** A counter read whole from the snapshot: `read` returns its total so far. */
  counter(name: string, help: string, read: Read<number>): void {
    const { labels, snapshot } = this.#bound();
    this.#own(
      name,
      new Counter({
        name: this.prefix + name,
        help,
        labelNames: this.#fixed,
        registers: this.#registers,
        collect() {
          this.reset();
          this.inc(labels, read(snapshot()));
        },
      }),
    );
  }

  /** A counter with one series per key of what `read` returns, labelled `label`. */
  counters(name: string, help: string, label: string, read: Read<Series>): void {
    this.counterRows(name, help, [label], keyed(label, read));
  }

  /** A counter with one series per row `read` returns (totals so far), labelled `labelNames`. */
  counterRows(name: string, help: string, labelNames: readonly string[], read: Read<Rows>): void {
    const config = this.#perRow<Counter>(name, help, labelNames, read, (c, labels, n) =>
      c.inc(labels, n),
    );
    this.#own(name, new Counter(config));
  }

  /**
   * A histogram in seconds over the snapshot's latency buckets, fed one value (in ms) at a
   * time; labelled with the task type when `byType`.
   */
  seconds(name: string, help: string, byType: boolean): (ms: number, type: string) => void {
    const histogram = this.#own(
      name,
      new Histogram({
        name: this.prefix + name,
        help,
        labelNames: byType ? [...this.#fixed, 'type'] : this.#fixed,
        buckets: LATENCY_BUCKETS_MS.map((ms) => ms / 1_000),
        registers: this.#registers,
      }),
    );
    const { labels } = this;
    if (byType) return (ms, type) => histogram.observe({ ...labels, type }, ms / 1_000);
    // Bound once, so an observation builds no label object.
    const series: { observe(value: number): void } =
      this.#fixed.length > 0 ? histogram.labels(labels) : histogram;
    return (ms) => series.observe(ms / 1_000);
  }

  /** Removes every metric of this set that the registry still holds. */
  close(): void {
    for (const [name, metric] of this.#mine.splice(0))
      if (this.registry.getSingleMetric(name) === metric) this.registry.removeSingleMetric(name);
  }

  /** The configuration of a metric with one series per row of what `read` returns. */
  #perRow<M extends { reset(): void }>(
    name: string,
    help: string,
    labelNames: readonly string[],
    read: Read<Rows>,
    write: (metric: M, labels: Record<string, string>, n: number) => void,
  ) {
    const { labels, snapshot } = this.#bound();
    return {
      name: this.prefix + name,
      help,
      labelNames: [...this.#fixed, ...labelNames],
      registers: this.#registers,
      collect(this: M) {
        this.reset();
        for (const [own, n] of read(snapshot())) write(this, { ...labels, ...own }, n);
      },
    };
  }

  /** What a collector needs, without `this` (prom-client binds `this` to the metric). */
  #bound() {
    return { labels: this.labels, snapshot: () => this.#snapshot() };
  }

  // One snapshot per scrape: prom-client calls every collector in the same turn.
  #snapshot(): MetricsSnapshot {
    if (!this.#cached) {
      this.#cached = this.metrics();
      queueMicrotask(() => (this.#cached = undefined));
    }
    return this.#cached;
  }

  #own<M>(name: string, metric: M): M {
    this.#mine.push([this.prefix + name, metric]);
    return metric;
  }
}

/** A one-label series as rows: each key the label's value. */
function keyed(label: string, read: Read<Series>): Read<Rows> {
  return (snapshot) =>
    Object.entries(read(snapshot)).map(([value, n]) => [{ [label]: value }, n] as const);
}
