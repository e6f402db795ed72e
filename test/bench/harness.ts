// Timing helpers of the benchmarks: warm-up, repeated runs, median/min/max, and ratios
// against a baseline measured in the same run. Wall time is measured here only, never
// asserted in tests.

export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/** Runs `once` `warmup` times unrecorded, then `runs` times; each returns its own figure. */
export async function sample(
  once: () => Promise<number> | number,
  { warmup = 1, runs = 5 }: { warmup?: number; runs?: number } = {},
): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await once();
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await once());
  return summarize(values);
}

/** Median, min and max of figures already measured. */
export function summarize(values: readonly number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    runs: sorted.length,
  };
}

/** Milliseconds `fn` takes, by the monotonic clock. */
export async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The value at quantile q (0..1) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Heap in use after a full collection (needs node --expose-gc). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the benchmarks with node --expose-gc (npm run bench does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap in use after full collections with a macrotask between them, so finalizers, timers
 * and promise chains a stopped system left behind run first (needs node --expose-gc).
 */
export async function settledHeapUsed(passes = 4): Promise<number> {
  for (let i = 0; i < passes; i++) {
    heapUsed();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return heapUsed();
}

/** One line of a scenario's results. */
export interface Row {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** The spread of the runs behind `value` (a median), when there were several. */
  readonly spread?: { readonly min: number; readonly max: number; readonly runs: number };
  /** value / baseline's value, for rows compared with a baseline of the same run. */
  readonly ratio?: number;
  readonly baseline?: string;
  /**
   * Set when the figure is partial, e.g. a run stopped at its time cap: says what it covers;
   * or, for a figure with a target, the verdict against it.
   */
  readonly mark?: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
}

export const row = (
  label: string,
  s: Sample | number,
  unit: string,
  extra: Partial<Row> = {},
): Row =>
  typeof s === 'number'
    ? { label, value: s, unit, ...extra }
    : { label, value: s.median, unit, spread: { min: s.min, max: s.max, runs: s.runs }, ...extra };
