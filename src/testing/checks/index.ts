// Every history checker, one per invariant (1-8 and 10 of DESIGN.md, and 11), and a runner.
import type { OverseerEvent } from '../../core/system-events.js';
import { noIdleAgentBesideReadyWork } from './idle-checks.js';
import { exclusiveLease, strictPriority } from './placement-checks.js';
import {
  lostAgentsTasksRescheduled,
  restartIntensity,
  typedRejections,
} from './supervision-checks.js';
import {
  attemptsWithinPolicy,
  dependenciesFirst,
  noStartAfterDeadline,
  noTaskLost,
} from './task-checks.js';
import type { CheckContext, Violation } from './violation.js';

export type { CheckContext, HistoryCheck, Violation } from './violation.js';

export const invariantChecks = {
  1: noTaskLost,
  2: exclusiveLease,
  3: attemptsWithinPolicy,
  4: strictPriority,
  5: dependenciesFirst,
  6: noStartAfterDeadline,
  7: restartIntensity,
  8: lostAgentsTasksRescheduled,
  10: typedRejections,
  11: noIdleAgentBesideReadyWork,
} as const;

export type CheckOptions = CheckContext & {
  readonly intensity?: { maxRestarts: number; periodMs: number };
};

/** Runs every checker (or those named) over a history; an empty list means all invariants held. */
export function checkHistory(
  history: readonly OverseerEvent[],
  ctx: CheckOptions,
  only?: readonly (keyof typeof invariantChecks)[],
): Violation[] {
  const ids =
    only ?? (Object.keys(invariantChecks).map(Number) as (keyof typeof invariantChecks)[]);
  return ids.flatMap((id) => invariantChecks[id](history, ctx));
}
