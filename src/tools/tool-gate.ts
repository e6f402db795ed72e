// Who may run a tool now: at most `concurrency` runs in flight, and with a token bucket,
// at most its rate of starts. Calls that cannot start wait in arrival order (first come,
// first served: a later call never overtakes a waiting one) until a run ends or a token
// is due; a waiting call whose signal fires leaves the line. With `overRate: 'reject'` a
// call that finds no token is refused at once instead, and waits for a slot only.
import type { SystemClock } from '../core/clock.js';
import { ToolRateLimited } from '../errors/index.js';
import type { TokenBucket } from './token-bucket.js';

export interface GateLimits {
  readonly tool: string;
  /** Runs in flight at most; Infinity for no limit. */
  readonly concurrency: number;
  readonly bucket: TokenBucket | undefined;
  readonly overRate: 'wait' | 'reject';
  readonly clock: SystemClock;
}

interface Waiter {
  /** Already holds its token (taken on arrival, under `reject`). */
  readonly hasToken: boolean;
  start(): void;
  /** It left the line (its signal fired): skipped when its turn comes. */
  gone: boolean;
}

export class ToolGate {
  #running = 0;
  /** The line, oldest first from `#head`: no shifting of the array as calls leave it. */
  #line: Waiter[] = [];
  #head = 0;
  #timer: unknown;

  constructor(private readonly limits: GateLimits) {}

  /** Runs in flight now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Resolves when the call may run; it must then call `leave()` once its run ends. Rejects
   * with the signal's reason if it fires first, or with ToolRateLimited under `reject`.
   */
  enter(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const { bucket, overRate, clock } = this.limits;
    let hasToken = false;
    if (bucket && overRate === 'reject') {
      const waitMs = bucket.take(clock.now());
      if (waitMs > 0)
        return Promise.reject(new ToolRateLimited(this.limits.tool, bucket.ratePerSec, waitMs));
      hasToken = true;
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        waiter.gone = true;
        reject(signal.reason);
      };
      const waiter: Waiter = {
        hasToken,
        gone: false,
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#line.push(waiter);
      this.#pump();
    });
  }

  /** A run ended: its slot goes to the next call in line. */
  leave(): void {
    this.#running--;
    this.#pump();
  }

  #pump(): void {
    const { concurrency, bucket, clock } = this.limits;
    while (this.#head < this.#line.length) {
      const next = this.#line[this.#head] as Waiter;
      if (next.gone) {
        this.#dequeue();
        continue;
      }
      if (this.#running >= concurrency) return;
      if (bucket && !next.hasToken) {
        const waitMs = bucket.take(clock.now());
        if (waitMs > 0) {
          this.#wake(waitMs);
          return;
        }
      }
      this.#dequeue();
      this.#running++;
      next.start();
    }
  }

  #dequeue(): void {
    this.#head++;
    if (this.#head === this.#line.length) {
      this.#line = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#line.length) {
      this.#line = this.#line.slice(this.#head);
      this.#head = 0;
    }
  }

  /** One timer at a time, for the token the head of the line waits for. */
  #wake(afterMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.limits.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, afterMs);
  }
}
