// Completion milestones of a benchmark run: when the k-th task finished, by the monotonic
// clock, with a deadline that ends the wait instead of hanging on a slow system. No-op
// tasks run as one long microtask chain (overseer's and p-queue's alike), so a timer
// cannot fire until the queue is empty: the deadline is checked as tasks finish, and
// `onLate` must stop the work (drain the system, clear the queue) to end the chain.

/** One queue-then-run pass; `undefined` marks a phase the deadline cut short. */
export interface QueueThenRun {
  readonly queued: number;
  readonly fillMs: number;
  /** From start until the first `k` tasks completed. */
  readonly firstMs: number | undefined;
  /** From start until every queued task completed, or until the deadline. */
  readonly runMs: number;
  readonly completed: number;
  /**
   * A fixed cost inside `runMs` and `firstMs` that is no task's: starting the system (its
   * supervision tree and agents), measured on an empty system of the same shape.
   */
  readonly startMs?: number;
}

export class Milestones {
  #done = 0;
  #late = false;
  readonly #waiting: { readonly count: number; readonly resolve: (at?: number) => void }[] = [];
  readonly #timer: ReturnType<typeof setTimeout> | undefined;

  /** `deadline` in performance.now() ms; `onLate` runs once when it passes. */
  constructor(
    private readonly deadline = Number.POSITIVE_INFINITY,
    private readonly onLate: () => void = () => {},
  ) {
    // For a run where nothing finishes at all.
    if (Number.isFinite(deadline))
      this.#timer = setTimeout(() => this.#expire(), deadline - performance.now());
  }

  /** Tasks finished so far. */
  get done(): number {
    return this.#done;
  }

  /** Call once per finished task. */
  readonly tick = (): void => {
    const count = ++this.#done;
    const now = performance.now();
    for (let i = this.#waiting.length - 1; i >= 0; i--) {
      const waiter = this.#waiting[i];
      if (waiter && waiter.count <= count) {
        this.#waiting.splice(i, 1);
        waiter.resolve(now);
      }
    }
    if (now > this.deadline) this.#expire();
  };

  /** Resolves with the time the `count`-th task finished, or undefined past the deadline. */
  reached(count: number): Promise<number | undefined> {
    if (this.#done >= count) return Promise.resolve(performance.now());
    if (this.#late) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.push({ count, resolve }));
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  #expire(): void {
    if (this.#late) return;
    this.#late = true;
    this.dispose();
    this.onLate();
    for (const waiter of this.#waiting.splice(0)) waiter.resolve(undefined);
  }
}

/**
 * Times the run phase of a queue-then-run pass from `runStart`: until the first `k` of
 * `queued` tasks finished, and until all did or the deadline passed.
 */
export async function timeRun(
  milestones: Milestones,
  queued: number,
  k: number,
  runStart: number,
): Promise<Pick<QueueThenRun, 'firstMs' | 'runMs' | 'completed'>> {
  const first = await milestones.reached(Math.min(k, queued));
  const all = await milestones.reached(queued);
  milestones.dispose();
  return {
    firstMs: first === undefined ? undefined : first - runStart,
    runMs: (all ?? performance.now()) - runStart,
    completed: milestones.done,
  };
}
