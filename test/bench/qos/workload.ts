// The benchmark's work, drawn once per load from a seed so every policy sees exactly the
// same batches at the same times with the same service times. Online batches (1 +
// geometric tasks, mean 5) arrive as a Poisson process whose rate alternates between
// 1.6x and 0.4x of the mean in fixed phases (bursts); service times are lognormal, a
// heavy tail in which about 1% of tasks need longer than the interactive SLO alone.
import { seededRandom } from '../../../machines/seeded-random.js';
import { CLASSES, type ClassName } from './classes.js';

/** Agents of one slot each; the capacity is theirs. */
export const AGENTS = 8;
/** Lognormal sigma of the service time: the tail's weight. */
export const SERVICE_SIGMA = 1.0;
/** Median service time, ms: P(service > 3 s) = 1% at sigma 1 (z of 0.99 is 2.3263). */
export const SERVICE_MEDIAN_MS = 3_000 / Math.exp(2.3263 * SERVICE_SIGMA);
/** Mean service time, ms: median * exp(sigma² / 2). */
export const SERVICE_MEAN_MS = SERVICE_MEDIAN_MS * Math.exp(SERVICE_SIGMA ** 2 / 2);
/** Tasks per second the agents complete when always busy: AGENTS / mean service time. */
export const CAPACITY_PER_S = (AGENTS * 1_000) / SERVICE_MEAN_MS;
export const MEAN_BATCH_SIZE = 5;
/** Arrival rate in a burst and between bursts, times the mean rate. */
export const BURST = { on: 1.6, off: 0.4 } as const;

export interface Batch {
  readonly index: number;
  /** Simulated ms at which it is submitted. */
  readonly atMs: number;
  readonly cls: ClassName;
  /** Each task's own service time, ms (the handler waits this long on the clock). */
  readonly serviceMs: readonly number[];
}

export interface Workload {
  /** Offered load, times the capacity. */
  readonly load: number;
  readonly durationMs: number;
  readonly phaseMs: number;
  readonly batches: readonly Batch[];
  readonly tasks: number;
  /** [start, end) of every burst (on-phase), ms. */
  readonly bursts: readonly (readonly [number, number])[];
}

export interface WorkloadOptions {
  readonly load: number;
  readonly durationMs: number;
  /** Length of each on and off phase, ms. Default 60 s. */
  readonly phaseMs?: number;
  readonly seed: number;
}

/** Whether the phase that holds `atMs` is a burst: phases alternate, the first is one. */
const inBurst = (atMs: number, phaseMs: number) => Math.floor(atMs / phaseMs) % 2 === 0;

export function drawWorkload({
  load,
  durationMs,
  phaseMs = 60_000,
  seed,
}: WorkloadOptions): Workload {
  const random = seededRandom(seed);
  const open = () => 1 - random(); // in (0, 1]: safe under log
  const meanBatchesPerMs = (load * CAPACITY_PER_S) / MEAN_BATCH_SIZE / 1_000;
  const batches: Batch[] = [];
  let tasks = 0;
  let t = 0;
  for (;;) {
    const rate = meanBatchesPerMs * (inBurst(t, phaseMs) ? BURST.on : BURST.off);
    const next = t - Math.log(open()) / rate;
    const boundary = (Math.floor(t / phaseMs) + 1) * phaseMs;
    // Memoryless: past a phase boundary, draw again from the boundary at the new rate.
    if (next >= boundary) {
      t = boundary;
      if (t >= durationMs) break;
      continue;
    }
    if (next >= durationMs) break;
    t = next;
    const size = 1 + geometric(open(), MEAN_BATCH_SIZE - 1);
    const serviceMs = Array.from({ length: size }, () => lognormalMs(open(), random()));
    batches.push({ index: batches.length, atMs: t, cls: classOf(random()), serviceMs });
    tasks += size;
  }
  const bursts: [number, number][] = [];
  for (let start = 0; start < durationMs; start += 2 * phaseMs)
    bursts.push([start, Math.min(start + phaseMs, durationMs)]);
  return { load, durationMs, phaseMs, batches, tasks, bursts };
}

/** Failures before the first success, with the given mean; `u` in (0, 1]. */
function geometric(u: number, mean: number): number {
  const p = 1 / (1 + mean);
  return Math.floor(Math.log(u) / Math.log(1 - p));
}

/** A lognormal service time from two uniforms (Box-Muller); `u1` in (0, 1]. */
function lognormalMs(u1: number, u2: number): number {
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return SERVICE_MEDIAN_MS * Math.exp(SERVICE_SIGMA * z);
}

function classOf(u: number): ClassName {
  let acc = 0;
  for (const c of CLASSES) {
    acc += c.share;
    if (u < acc) return c.name;
  }
  return CLASSES[CLASSES.length - 1]?.name as ClassName;
}
