// The agent limiter's vocabulary: its input and options (with their defaults), context, the
// events it takes and the one event it emits.
import type { AimdSettings } from './aimd.js';

/** How an agent's limit adapts and when its breaker opens. Every field is optional. */
export interface AgentLimiterOptions {
  /** The limit before any attempt ended, clamped to 1..concurrency. Default `concurrency`. */
  readonly initialLimit?: number;
  /**
   * A success slower than this many times the baseline latency is a congestion signal.
   * Default 2.
   */
  readonly latencyToleranceRatio?: number;
  /** Share of the gap a slower success raises the baseline by, 0..1. Default 0.05. */
  readonly baselineAlpha?: number;
  /**
   * The least baseline latency compared against, in ms, so that the jitter of sub-millisecond
   * work is not taken for congestion. Default 5.
   */
  readonly baselineFloorMs?: number;
  /** The limit is multiplied by this on a failure or a slow success, 0..1. Default 0.5. */
  readonly decreaseFactor?: number;
  /** Slots added per window of `floor(limit)` fast successes (each adds its share). Default 1. */
  readonly increase?: number;
  /** Consecutive failed attempts that open the breaker. Default 5. */
  readonly failureThreshold?: number;
  /** How long an open breaker stays open before it lets a probe through, in ms. Default 5000. */
  readonly openMs?: number;
  /** Successful probes in a row that close a half-open breaker. Default 1. */
  readonly probes?: number;
}

export interface AgentLimiterInput {
  readonly agentId: string;
  /** The agent's declared concurrency: the most the limit ever reaches (an integer, >= 1). */
  readonly concurrency: number;
  readonly options?: AgentLimiterOptions;
}

/** The options with their defaults applied (`initialLimit` is resolved into the context). */
export interface LimiterSettings extends AimdSettings {
  readonly failureThreshold: number;
  readonly openMs: number;
  readonly probes: number;
}

export const DEFAULT_LIMITER_SETTINGS: LimiterSettings = {
  latencyToleranceRatio: 2,
  baselineAlpha: 0.05,
  baselineFloorMs: 5,
  decreaseFactor: 0.5,
  increase: 1,
  failureThreshold: 5,
  openMs: 5_000,
  probes: 1,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface AgentLimiterContext {
  readonly agentId: string;
  readonly concurrency: number;
  readonly initialLimit: number;
  readonly settings: LimiterSettings;
  /** The adaptive limit, fractional; 0 while open, 1 while half-open. */
  readonly limit: number;
  /** What the runtime may run at once: `floor(limit)`. */
  readonly slots: number;
  /** The baseline latency in ms (see `nextBaselineMs`); null before the first success. */
  readonly baselineMs: number | null;
  readonly decreasedAt: number | null;
  readonly consecutiveFailures: number;
  /** Successful probes so far in this half-open spell. */
  readonly probeSuccesses: number;
  /** When the breaker last opened (clock ms). */
  readonly openedAt: number | null;
}

export type AgentLimiterEvent =
  /** One attempt on the agent ended: `latencyMs` from its start, `at` its end (clock ms). */
  | {
      readonly type: 'attempt.ended';
      readonly ok: boolean;
      readonly latencyMs: number;
      readonly at: number;
    }
  /** Forget what was learned (the agent restarted, say): closed, initial limit, no baseline. */
  | { readonly type: 'reset'; readonly at: number };

export interface LimitChanged {
  readonly type: 'limit.changed';
  readonly agentId: string;
  /** The new integer limit: slots the runtime may fill. */
  readonly limit: number;
  readonly breaker: BreakerState;
  /** Clock ms of the change. */
  readonly at: number;
}

export type AgentLimiterEmitted = LimitChanged;

/** The resolved settings: defaults for what is missing. */
export function limiterSettingsOf(options: AgentLimiterOptions = {}): LimiterSettings {
  const { initialLimit: _, ...given } = options;
  const defined = Object.entries(given).filter(([, v]) => v !== undefined);
  return { ...DEFAULT_LIMITER_SETTINGS, ...Object.fromEntries(defined) };
}

type Rule = readonly [field: keyof AgentLimiterOptions, rule: string, ok: (v: number) => boolean];
const RULES: readonly Rule[] = [
  ['initialLimit', 'a number > 0', (v) => v > 0],
  ['latencyToleranceRatio', 'a number > 0', (v) => v > 0],
  ['baselineAlpha', 'within 0..1', (v) => v >= 0 && v <= 1],
  ['baselineFloorMs', 'a number >= 0', (v) => v >= 0],
  ['decreaseFactor', 'within (0, 1)', (v) => v > 0 && v < 1],
  ['increase', 'a number > 0', (v) => v > 0],
  ['failureThreshold', 'an integer >= 1', (v) => Number.isInteger(v) && v >= 1],
  ['openMs', 'a number of ms >= 0', (v) => v >= 0],
  ['probes', 'an integer >= 1', (v) => Number.isInteger(v) && v >= 1],
];

/** What is wrong with an input, one message per field; empty when it is valid. */
export function agentLimiterInputProblems(input: AgentLimiterInput): string[] {
  const problems: string[] = [];
  const c = input.concurrency;
  if (!Number.isInteger(c) || c < 1)
    problems.push(`concurrency must be an integer >= 1, got ${String(c)}`);
  for (const [field, rule, ok] of RULES) {
    const value = input.options?.[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
      problems.push(`options.${field} must be ${rule}, got ${String(value)}`);
  }
  return problems;
}
