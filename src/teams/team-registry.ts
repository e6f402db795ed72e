// The team runs going on in a system, by id, so one can be found and answered by its id
// (`approveTeamRun`, a user interface), and the unfinished ones its store saved.
import { UnknownTeamRun } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { ApprovalAnswer } from './plan-approval.js';
import type { TeamRun } from './team-run-handle.js';
import { type StoredTeamRunInfo, storedTeamRunsIn } from './team-saving.js';

const liveRuns = new WeakMap<OverseerSystem, Map<string, TeamRun>>();

/** Notes a run as going on (run-team.ts). */
export function registerLive(system: OverseerSystem, run: TeamRun): void {
  const runs = liveRuns.get(system) ?? new Map<string, TeamRun>();
  liveRuns.set(system, runs);
  if (runs.has(run.id)) throw new UnknownTeamRun(run.id, 'to resume: it runs already');
  runs.set(run.id, run);
}

/** Notes a run as ended (run-team.ts). */
export function forgetLive(system: OverseerSystem, runId: string): void {
  liveRuns.get(system)?.delete(runId);
}

/** The team runs going on in `system` now, the first started first. */
export function teamRuns(system: OverseerSystem): TeamRun[] {
  return [...(liveRuns.get(system)?.values() ?? [])];
}

/**
 * Answers what team run `runId` waits for a person to approve (its plan, or steps about to
 * run). Returns false when it waits for nothing; throws UnknownTeamRun when no such run goes on.
 */
export function approveTeamRun(
  system: OverseerSystem,
  runId: string,
  answer: ApprovalAnswer,
): boolean {
  const run = liveRuns.get(system)?.get(runId);
  if (run === undefined) throw new UnknownTeamRun(runId, 'going on in this system');
  if (typeof answer !== 'object' || answer === null || typeof answer.accept !== 'boolean')
    throw new TypeError(`an approval answer is { accept: boolean, feedback?: string }`);
  return run.approve(answer);
}

/**
 * The unfinished team runs the system's store holds (saved as they moved), the least recently
 * saved first; after a restart, go on with each by `resumeTeam`. Empty without a store.
 */
export function storedTeamRuns(system: OverseerSystem): StoredTeamRunInfo[] {
  const { store } = system;
  if (store === undefined) return [];
  const live = liveRuns.get(system);
  return storedTeamRunsIn(store).filter((run) => !live?.has(run.runId));
}
