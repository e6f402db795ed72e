// How long work of one kind takes, learned as it runs: moving averages of attempt run times
// (per task type, and per task type on one agent). Two figures, because service times are
// heavy-tailed: the mean (what a queue of such tasks costs the agents, for predicting
// waits) and the typical time, the exponential of the mean log (about the median, for
// judging whether one task can still finish: a mean inflated by a rare slow task would
// give up on tasks that would have made it).

export interface ServiceEstimate {
  readonly samples: number;
  /** Moving mean of the run times themselves (one slow run moves it a lot). */
  readonly meanMs: number;
  /** Moving mean of ln(1 + ms). */
  readonly logMean: number;
  /** Moving variance of ln(1 + ms). */
  readonly logVariance: number;
}

export const NO_ESTIMATE: ServiceEstimate = { samples: 0, meanMs: 0, logMean: 0, logVariance: 0 };

/**
 * The estimate after one more run of `ms`. The first `1 / alpha` samples are averaged
 * evenly (a cold start is not dominated by its first sample), then exponentially.
 */
export function observed(estimate: ServiceEstimate, ms: number, alpha = 0.05): ServiceEstimate {
  const runMs = Math.max(0, ms);
  const samples = estimate.samples + 1;
  const weight = Math.max(alpha, 1 / samples);
  const log = Math.log1p(runMs);
  const logMean = estimate.logMean + weight * (log - estimate.logMean);
  return {
    samples,
    meanMs: estimate.meanMs + weight * (runMs - estimate.meanMs),
    logMean,
    logVariance: (1 - weight) * (estimate.logVariance + weight * (log - estimate.logMean) ** 2),
  };
}

/**
 * The expected run time, ms, from the moving log-mean and log-variance (the mean of a
 * lognormal, which run times of one kind usually follow): steadier than `meanMs` under a
 * heavy tail, where one rare slow run would swing a plain moving mean for a long while.
 */
export const expectedMs = (estimate: ServiceEstimate): number =>
  estimate.samples === 0 ? 0 : Math.expm1(estimate.logMean + estimate.logVariance / 2);

/** The typical (about median) run time, ms; 0 before any sample. */
export const typicalMs = (estimate: ServiceEstimate): number =>
  estimate.samples === 0 ? 0 : Math.expm1(estimate.logMean);

/** Samples an agent's own estimate needs before it is preferred to the task type's. */
export const TRUSTED_SAMPLES = 5;

/** The more specific estimate once it has enough samples, else the general one. */
export const preferred = (specific: ServiceEstimate | undefined, general: ServiceEstimate) =>
  specific !== undefined && specific.samples >= TRUSTED_SAMPLES ? specific : general;
