// A discrete-event clock for the system (`SystemClock`): timers wait in a min-heap by due
// time (ties in the order they were set); `runClock` pops the next one, moves `now` to its
// time, runs it and lets every promise continuation it caused settle before the next.
// Simulated time costs nothing: twenty simulated minutes run in seconds.
import type { SystemClock } from '../../../src/index.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

const before = (a: Timer, b: Timer) => (a.at !== b.at ? a.at < b.at : a.seq < b.seq);

export class SimClock implements SystemClock {
  #now = 0;
  #seq = 0;
  readonly #heap: Timer[] = [];
  /** Timers run so far. */
  fired = 0;

  now(): number {
    return this.#now;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): unknown {
    const delay = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0;
    const timer: Timer = { at: this.#now + delay, seq: this.#seq++, fn, cancelled: false };
    this.#push(timer);
    return timer;
  }

  clearTimeout(id: unknown): void {
    if (id && typeof id === 'object' && 'cancelled' in id) (id as Timer).cancelled = true;
  }

  /** When the next live timer is due, if any. */
  nextAt(): number | undefined {
    this.#dropCancelled();
    return this.#heap[0]?.at;
  }

  /** Runs the next timer if it is due by `untilMs`; false when there is none. */
  fireNext(untilMs: number): boolean {
    this.#dropCancelled();
    const timer = this.#heap[0];
    if (!timer || timer.at > untilMs) return false;
    this.#pop();
    this.#now = Math.max(this.#now, timer.at);
    this.fired++;
    timer.fn();
    return true;
  }

  #dropCancelled(): void {
    while (this.#heap[0]?.cancelled) this.#pop();
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent] as Timer)) break;
      heap[i] = heap[parent] as Timer;
      i = parent;
    }
    heap[i] = timer;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop() as Timer;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && before(heap[r] as Timer, heap[l] as Timer) ? r : l;
      if (!before(heap[child] as Timer, last)) break;
      heap[i] = heap[child] as Timer;
      i = child;
    }
    heap[i] = last;
  }
}

/** One turn of the event loop: every promise continuation already due runs first. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Drives the clock timer by timer until `done()` holds or no timer is due by `untilMs`,
 * settling the work each timer starts before the next fires.
 */
export async function runClock(clock: SimClock, untilMs: number, done: () => boolean) {
  for (;;) {
    await settle();
    if (done() || !clock.fireNext(untilMs)) return;
  }
}
