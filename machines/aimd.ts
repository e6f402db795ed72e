// AIMD arithmetic for an agent's adaptive concurrency limit, and its latency baseline: pure,
// so the limiter machine's guards and actions share one computation and tests need no actor.

/** The settings the arithmetic reads; `LimiterSettings` documents each one and its default. */
export interface AimdSettings {
  readonly latencyToleranceRatio: number;
  readonly baselineAlpha: number;
  readonly baselineFloorMs: number;
  readonly decreaseFactor: number;
  readonly increase: number;
}

/** What the limiter knows between attempts. */
export interface AimdState {
  /** The limit, fractional: additive increase adds `increase / floor(limit)` a success. */
  readonly limit: number;
  /** The latency an unloaded agent shows, in ms; null before the first success. */
  readonly baselineMs: number | null;
  /** When the limit last went down (clock ms); null if it never did. */
  readonly decreasedAt: number | null;
}

/** One ended attempt: its outcome, how long it ran (ms) and when it ended (clock ms). */
export interface AttemptOutcome {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly at: number;
}

/** A faster success pulls the baseline halfway down at once: it tracks the floor. */
export const BASELINE_FALL = 0.5;

// Sums of `increase / slots` (thirds, say) must reach whole slots exactly, not 3.9999999.
const snap = (x: number) => (Math.abs(x - Math.round(x)) < 1e-9 ? Math.round(x) : x);

const knownLatency = (latencyMs: number) => Number.isFinite(latencyMs) && latencyMs >= 0;

/**
 * The baseline after a success: an asymmetric EWMA, a minimum that forgets slowly. A faster
 * sample pulls it down by `BASELINE_FALL` of the gap (one lucky outlier cannot halve it for
 * good); a slower one raises it by only `alpha` of the gap, so sustained congestion is still
 * seen as slow for many attempts, yet a lasting change (a bigger model) is learned in the end.
 */
export function nextBaselineMs(baselineMs: number | null, latencyMs: number, alpha: number) {
  if (!knownLatency(latencyMs)) return baselineMs;
  if (baselineMs === null) return latencyMs;
  const weight = latencyMs < baselineMs ? BASELINE_FALL : alpha;
  return baselineMs + (latencyMs - baselineMs) * weight;
}

/** Slower than the tolerance times the baseline (never below its floor): congestion. */
export function isSlow(latencyMs: number, baselineMs: number | null, s: AimdSettings): boolean {
  if (baselineMs === null || !knownLatency(latencyMs)) return false;
  return latencyMs > s.latencyToleranceRatio * Math.max(baselineMs, s.baselineFloorMs);
}

/** Additive increase: `increase` slots per window of `floor(limit)` successes, up to `max`. */
export function increasedLimit(limit: number, max: number, increase: number): number {
  return Math.min(max, snap(limit + increase / Math.max(1, Math.floor(limit))));
}

/** Multiplicative decrease, never below one slot. */
export function decreasedLimit(limit: number, factor: number): number {
  return Math.max(1, snap(limit * factor));
}

/**
 * The limiter after one attempt. A fast success increases the limit; a failure or a slow
 * success decreases it, at most once a window: an attempt that started before the last
 * decrease was dispatched under the old limit, so its signal is the congestion already
 * acted on (as TCP halves its window once a round trip, not once a lost packet).
 */
export function adaptLimit(
  state: AimdState,
  max: number,
  settings: AimdSettings,
  attempt: AttemptOutcome,
): AimdState {
  const baselineMs = attempt.ok
    ? nextBaselineMs(state.baselineMs, attempt.latencyMs, settings.baselineAlpha)
    : state.baselineMs;
  const congested = !attempt.ok || isSlow(attempt.latencyMs, state.baselineMs, settings);
  if (!congested) {
    return { ...state, baselineMs, limit: increasedLimit(state.limit, max, settings.increase) };
  }
  const startedAt = attempt.at - (knownLatency(attempt.latencyMs) ? attempt.latencyMs : 0);
  if (state.decreasedAt !== null && startedAt < state.decreasedAt) return { ...state, baselineMs };
  return {
    baselineMs,
    limit: decreasedLimit(state.limit, settings.decreaseFactor),
    decreasedAt: attempt.at,
  };
}
