// How each QoS class keeps its promise: tasks finished by outcome, and how many completed
// within the class's SLO (submit to finish). Attainment is on time over finished: a task
// that failed or was cancelled missed its objective. Kept only for a system with classes.
import type { QosOptions } from '../../machines/qos-classes.js';

/** One class's outcomes in `system.metrics().qos`. */
export interface ClassOutcome {
  readonly sloMs: number;
  readonly completed: number;
  /** Completed within `sloMs` of submit. */
  readonly onTime: number;
  /** Completed, but after `sloMs`. */
  readonly late: number;
  readonly failed: number;
  readonly cancelled: number;
  /** `onTime` over every finished task of the class (0 when none finished). */
  readonly attainment: number;
}

type Counts = { completed: number; onTime: number; failed: number; cancelled: number };

export class ClassOutcomes {
  readonly #byClass = new Map<string, Counts>();

  constructor(private readonly qos: QosOptions | undefined) {}

  /** A task of class `qos` ended; `elapsedMs` from its submit. */
  finished(qos: string, end: 'completed' | 'failed' | 'cancelled', elapsedMs: number): void {
    const slo = this.qos?.classes[qos]?.sloMs;
    if (slo === undefined) return;
    let counts = this.#byClass.get(qos);
    if (!counts) {
      counts = { completed: 0, onTime: 0, failed: 0, cancelled: 0 };
      this.#byClass.set(qos, counts);
    }
    counts[end]++;
    if (end === 'completed' && elapsedMs <= slo) counts.onTime++;
  }

  /** Every declared class, finished tasks or not. */
  snapshot(): Record<string, ClassOutcome> {
    const out: Record<string, ClassOutcome> = {};
    for (const [name, cls] of Object.entries(this.qos?.classes ?? {})) {
      const c = this.#byClass.get(name) ?? { completed: 0, onTime: 0, failed: 0, cancelled: 0 };
      const finished = c.completed + c.failed + c.cancelled;
      out[name] = {
        sloMs: cls.sloMs,
        ...c,
        late: c.completed - c.onTime,
        attainment: finished === 0 ? 0 : c.onTime / finished,
      };
    }
    return out;
  }
}
