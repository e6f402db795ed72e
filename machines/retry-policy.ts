// Retry policies and backoff arithmetic: pure, so the task machine's guards and delays
// can be tested for every policy and attempt without running a machine.

/** Backoff between attempts. Delays are in milliseconds of the system clock. */
export type Backoff =
  | {
      readonly kind: 'fixed';
      /** Delay before every retry, in ms. */
      readonly delayMs: number;
    }
  | {
      readonly kind: 'exponential';
      /** Delay before the first retry, in ms. */
      readonly initialDelayMs: number;
      /** Growth per further retry. Default 2. */
      readonly factor?: number;
      /** Upper bound on any delay, in ms, applied before jitter. */
      readonly maxDelayMs: number;
      /**
       * Share of the delay that is randomized, 0..1. 0 (default) means no jitter; 1 is
       * "full jitter": the delay is drawn uniformly from [0, base].
       */
      readonly jitter?: number;
    };

export interface RetryPolicy {
  /** Attempts in all, the first included. 1 means never retry. */
  readonly maxAttempts: number;
  readonly backoff: Backoff;
}

/** Three attempts, exponential backoff from 1 s doubling to at most 30 s, 20% jitter. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  backoff: {
    kind: 'exponential',
    initialDelayMs: 1_000,
    factor: 2,
    maxDelayMs: 30_000,
    jitter: 0.2,
  },
};

/** Whether another attempt is allowed after `attemptsMade` attempts ran. */
export function canRetry(policy: RetryPolicy, attemptsMade: number): boolean {
  return attemptsMade < policy.maxAttempts;
}

/** The delay before the next attempt, before jitter: the upper bound of `backoffDelayMs`. */
export function baseBackoffMs(backoff: Backoff, attemptsMade: number): number {
  if (backoff.kind === 'fixed') return backoff.delayMs;
  const factor = backoff.factor ?? 2;
  const exponent = Math.max(0, attemptsMade - 1);
  // Compare in log space so large attempt counts never overflow to Infinity.
  const uncapped = backoff.initialDelayMs * factor ** exponent;
  return Math.min(backoff.maxDelayMs, Number.isFinite(uncapped) ? uncapped : backoff.maxDelayMs);
}

/**
 * The delay before the next attempt after `attemptsMade` attempts, in whole ms.
 * `random` is a sample in [0, 1) from the injected random source.
 */
export function backoffDelayMs(backoff: Backoff, attemptsMade: number, random: number): number {
  const base = baseBackoffMs(backoff, attemptsMade);
  const jitter = backoff.kind === 'exponential' ? (backoff.jitter ?? 0) : 0;
  return Math.floor(base - base * jitter * random);
}

/** The problems with a retry policy, each naming its field; empty when valid. */
export function retryPolicyProblems(policy: RetryPolicy, path = 'retry'): string[] {
  const problems: string[] = [];
  const nonNegative = (value: unknown, field: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${path}.${field} must be a finite number >= 0, got ${String(value)}`);
    }
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    problems.push(`${path}.maxAttempts must be an integer >= 1, got ${String(policy.maxAttempts)}`);
  }
  const backoff = policy.backoff;
  if (backoff?.kind === 'fixed') {
    nonNegative(backoff.delayMs, 'backoff.delayMs');
  } else if (backoff?.kind === 'exponential') {
    nonNegative(backoff.initialDelayMs, 'backoff.initialDelayMs');
    nonNegative(backoff.maxDelayMs, 'backoff.maxDelayMs');
    if (backoff.factor !== undefined && !(backoff.factor >= 1)) {
      problems.push(`${path}.backoff.factor must be >= 1, got ${String(backoff.factor)}`);
    }
    if (backoff.jitter !== undefined && !(backoff.jitter >= 0 && backoff.jitter <= 1)) {
      problems.push(`${path}.backoff.jitter must lie in [0, 1], got ${String(backoff.jitter)}`);
    }
  } else {
    problems.push(`${path}.backoff.kind must be 'fixed' or 'exponential'`);
  }
  return problems;
}
