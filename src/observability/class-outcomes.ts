// How each QoS class keeps its promise: tasks finished by outcome, how many completed
// within the class's SLO (submit to finish), submissions refused at admission, and the
// mode its controller is in. Attainment is on time over finished (a task that failed or
// was cancelled missed its objective); attainment of submitted counts refusals as misses
// too. Kept only for a system with classes.
import type { QosOptions } from '../../machines/qos-classes.js';
import type { OverseerEventOf, QosRejection } from '../core/system-events.js';
import type { ClassTime } from './class-timing.js';
import type { HistogramSnapshot } from './latency-histogram.js';

/** A class controller's mode (`qos.mode` events): `normal` until it reports another. */
export type ClassMode = OverseerEventOf<'qos.mode'>['mode'];

/** One class's outcomes in `system.metrics().qos`. */
export interface ClassOutcome {
  readonly sloMs: number;
  readonly completed: number;
  /** Completed within `sloMs` of submit. */
  readonly onTime: number;
  /** Completed, but after `sloMs`. */
  readonly late: number;
  readonly failed: number;
  /** Failed with `DeadlineExceeded` (expired in the queue or cut at the deadline): part of `failed`. */
  readonly expired: number;
  readonly cancelled: number;
  /** Tasks of submissions to the class refused at admission (nothing of them was stored). */
  readonly rejected: number;
  /** `rejected` by the reason admission gave. */
  readonly rejectedByReason: Readonly<Record<QosRejection, number>>;
  /** `onTime` over every finished task of the class (0 when none finished). */
  readonly attainment: number;
  /** `onTime` over finished and rejected tasks: a refusal is a miss too (0 when there are none). */
  readonly attainmentOfSubmitted: number;
  /** Tasks completed within `sloMs`, per second of the system clock since the system was created. */
  readonly goodput: number;
  /** Run time of every ended attempt of the class's tasks, in ms (counted as attempts end). */
  readonly busyMs: number;
  /** The part of `busyMs` spent on tasks that then missed their SLO (late, failed, cancelled), in ms. */
  readonly wastedMs: number;
  /** From a task becoming ready to its attempt starting, in ms (`p50`, `p99`, buckets...). */
  readonly queueDelay: HistogramSnapshot;
  /** What the class's controller last reported: `normal`, `overloaded` or `shedding`. */
  readonly mode: ClassMode;
}

/** How a task of a class ended, for its counts. */
export type ClassEnd = 'onTime' | 'late' | 'failed' | 'expired' | 'cancelled';

interface Counts {
  completed: number;
  onTime: number;
  failed: number;
  expired: number;
  cancelled: number;
  rejected: number;
  readonly rejectedByReason: Record<QosRejection, number>;
  mode: ClassMode;
}

const noCounts = (): Counts => ({
  completed: 0,
  onTime: 0,
  failed: 0,
  expired: 0,
  cancelled: 0,
  rejected: 0,
  rejectedByReason: { 'queue-cap': 0, 'predicted-late': 0, shedding: 0 },
  mode: 'normal',
});

export class ClassOutcomes {
  readonly #byClass = new Map<string, Counts>();

  constructor(private readonly qos: QosOptions) {}

  /** The SLO of class `qos`, undefined for a class the system does not declare. */
  sloOf(qos: string): number | undefined {
    return this.qos.classes[qos]?.sloMs;
  }

  /** A task of class `qos` ended so. */
  finished(qos: string, end: ClassEnd): void {
    const c = this.#counts(qos);
    if (!c) return;
    if (end === 'onTime' || end === 'late') c.completed++;
    if (end === 'onTime') c.onTime++;
    if (end === 'failed' || end === 'expired') c.failed++;
    if (end === 'expired') c.expired++;
    if (end === 'cancelled') c.cancelled++;
  }

  /** Admission refused `tasks` tasks that asked for class `qos`. */
  rejected(qos: string, reason: QosRejection, tasks: number): void {
    const c = this.#counts(qos);
    if (!c) return;
    c.rejected += tasks;
    c.rejectedByReason[reason] += tasks;
  }

  /** The class's controller moved to `mode`. */
  moved(qos: string, mode: ClassMode): void {
    const c = this.#counts(qos);
    if (c) c.mode = mode;
  }

  /** Every declared class, with its time from `timeOf`; `elapsedMs` since the system was created. */
  snapshot(elapsedMs: number, timeOf: (qos: string) => ClassTime): Record<string, ClassOutcome> {
    const out: Record<string, ClassOutcome> = {};
    for (const [name, cls] of Object.entries(this.qos.classes)) {
      const { mode, rejectedByReason, ...c } = this.#byClass.get(name) ?? noCounts();
      const finished = c.completed + c.failed + c.cancelled;
      out[name] = {
        sloMs: cls.sloMs,
        ...c,
        late: c.completed - c.onTime,
        rejectedByReason: { ...rejectedByReason },
        attainment: ratio(c.onTime, finished),
        attainmentOfSubmitted: ratio(c.onTime, finished + c.rejected),
        goodput: elapsedMs > 0 ? (c.onTime * 1_000) / elapsedMs : 0,
        ...timeOf(name),
        mode,
      };
    }
    return out;
  }

  #counts(qos: string): Counts | undefined {
    if (this.sloOf(qos) === undefined) return undefined;
    let counts = this.#byClass.get(qos);
    if (!counts) {
      counts = noCounts();
      this.#byClass.set(qos, counts);
    }
    return counts;
  }
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
