import type { TeamHistoryEntry } from '../../machines/team-run-types.js';
import { OverseerError } from './overseer-error.js';

/**
 * A team run ended without completing: no plan passed within its rounds, the planner or
 * the validator failed, it passed its deadline, or it was cancelled. `history` is all
 * that happened, in order (plans, outputs, repairs, verdicts, replans, the end).
 */
export class TeamRunFailed extends OverseerError {
  readonly code = 'TeamRunFailed';
  constructor(
    readonly runId: string,
    readonly reason: string,
    readonly history: readonly TeamHistoryEntry[],
  ) {
    super(`team run ${runId} failed: ${reason}`);
  }
}
