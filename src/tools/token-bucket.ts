// A token bucket: `ratePerSec` tokens a second flow in continuously, at most `burst` are
// kept. Pure arithmetic over the times it is given, so the system clock (simulated in
// tests) decides when a token is there.

const EPSILON = 1e-9;

export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes a token and returns 0 when one is there at `now`; else leaves the bucket and returns the ms until one is. */
  take(now: number): number {
    this.#refill(now);
    // Within a hair of a token is a token: float dust must not cost a whole ms.
    if (this.#tokens >= 1 - EPSILON) {
      this.#tokens = Math.max(0, this.#tokens - 1);
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSec - EPSILON));
  }

  #refill(now: number): void {
    if (now <= this.#at) return;
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) * this.ratePerSec) / 1000);
    this.#at = now;
  }
}
