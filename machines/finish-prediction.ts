// When a task submitted now would finish: the queueing wait ahead of it, from the work its
// class and the others have queued and how the agents' slots are shared between classes,
// plus its own typical run time. Pure arithmetic; admission and dispatch ask it.

export interface ClassBacklog {
  /** The class's fair-share weight. */
  readonly weight: number;
  /** Estimated run time of its queued tasks, summed, ms. */
  readonly workMs: number;
}

/**
 * How long until class `own`'s queued work is served, in ms, with `slots` agent slots shared
 * by weight (generalized processor sharing, the fluid limit of the scheduler's fair share):
 * while `own` drains its backlog W, another class k is served W × w_k / w_own alongside,
 * or its whole backlog if that is smaller (its unused share goes to the others). 0 when
 * there are no slots to judge by (no agents yet: nothing to predict from).
 */
export function predictedWaitMs(
  backlogs: ReadonlyMap<string, ClassBacklog>,
  own: string,
  slots: number,
): number {
  const mine = backlogs.get(own);
  if (mine === undefined || slots <= 0 || mine.workMs <= 0) return 0;
  let served = 0;
  for (const [name, other] of backlogs) {
    if (name === own) served += mine.workMs;
    else served += Math.min(other.workMs, (mine.workMs * other.weight) / mine.weight);
  }
  return served / slots;
}

/** The predicted finish time of a task of `typicalMs` that starts after `waitMs` from `now`. */
export const predictedFinish = (now: number, waitMs: number, typicalMs: number): number =>
  now + waitMs + typicalMs;

/** Whether a task predicted to finish at `finishAt` keeps its due time (none: always). */
export const keepsDue = (finishAt: number, dueAt: number | undefined): boolean =>
  dueAt === undefined || finishAt <= dueAt;
