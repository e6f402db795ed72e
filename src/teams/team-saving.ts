// A team run's saved state in the system's store: its machine's snapshot with what the
// runtime needs besides (goal, deadline, class, when a person's answer is due), saved when
// the run moves (a new state, round, plan try, shared-state version or approval wait) and
// forgotten when it ends. What happens between two saves is not lost: a resumed run asks
// again for what it waited for, and the tasks' idempotency keys give back the same tasks.
import type { Actor } from 'xstate';
import type { teamRunMachine } from '../../machines/team-run.js';
import type { SystemClock } from '../core/clock.js';
import { CorruptStoreRecord, UnknownTeamRun } from '../errors/index.js';
import type { Store } from '../store/store.js';
import { isRecord } from '../validation/field-checks.js';

/** What the store keeps of an unfinished team run. */
export interface SavedTeamRun {
  readonly v: 1;
  readonly name?: string;
  readonly goal: unknown;
  readonly deadline?: number;
  readonly qos?: string;
  /** Clock time a person's answer is due, while the run waits for one with a timeout. */
  readonly approvalDueAt?: number;
  /** The machine's persisted snapshot (XState's `getPersistedSnapshot`). */
  readonly snapshot: unknown;
}

/** An unfinished team run the store holds, as `storedTeamRuns` lists it. */
export interface StoredTeamRunInfo {
  readonly runId: string;
  readonly name?: string;
  readonly goal: unknown;
  /** Its machine state when saved, e.g. `awaitingApproval`. */
  readonly state: string;
  readonly round: number;
  /** Clock time it was last saved. */
  readonly savedAt: number;
}

type Base = Omit<SavedTeamRun, 'v' | 'snapshot' | 'approvalDueAt'>;

/**
 * Saves the run whenever it moves, until it ends; then forgets it. A save that fails (a
 * goal or output the store cannot hold) goes to `failed`, which ends the run with the reason.
 */
export function saveAsItMoves(
  actor: Actor<typeof teamRunMachine>,
  runId: string,
  store: Store,
  clock: SystemClock,
  base: Base,
  approvalDueAt: () => number | undefined,
  failed: (reason: string) => void,
): void {
  let mark = '';
  const save = () => {
    const snapshot = actor.getSnapshot();
    // Ended: forgotten. Stopped with its system: kept as last saved, for resumeTeam.
    if (snapshot.status === 'done') return store.deleteTeamRun(runId);
    if (snapshot.status !== 'active') return;
    const { round, planRepairs, shared, awaiting } = snapshot.context;
    const next = JSON.stringify([snapshot.value, round, planRepairs, shared?.version, awaiting]);
    if (next === mark) return;
    mark = next;
    const due = approvalDueAt();
    const data: SavedTeamRun = {
      v: 1,
      ...base,
      ...(due === undefined || awaiting === null ? {} : { approvalDueAt: due }),
      snapshot: actor.getPersistedSnapshot(),
    };
    try {
      store.putTeamRun({ runId, at: clock.now(), data });
    } catch (error) {
      failed(`the run's state could not be stored: ${(error as Error).message}`);
    }
  };
  actor.subscribe({ next: save, complete: save });
  save();
}

/** The saved run `runId`: UnknownTeamRun when none is; CorruptStoreRecord when unreadable. */
export function savedRun(store: Store, runId: string): SavedTeamRun {
  const stored = store.teamRuns().find((r) => r.runId === runId);
  if (stored === undefined) throw new UnknownTeamRun(runId, `saved in the ${store.kind} store`);
  return checkSaved(runId, stored.data);
}

/** Every unfinished team run the store holds, the least recently saved first. */
export function storedTeamRunsIn(store: Store): StoredTeamRunInfo[] {
  return store.teamRuns().map(({ runId, at, data }) => {
    const saved = checkSaved(runId, data);
    const { value, context } = saved.snapshot as { value: string; context: { round: number } };
    return {
      runId,
      ...(saved.name === undefined ? {} : { name: saved.name }),
      goal: saved.goal,
      state: value,
      round: context.round,
      savedAt: at,
    };
  });
}

function checkSaved(runId: string, data: unknown): SavedTeamRun {
  const corrupt = (problem: string) => new CorruptStoreRecord('team_runs', runId, problem);
  if (!isRecord(data) || data.v !== 1) throw corrupt('is not a saved team run of version 1');
  const { snapshot } = data;
  if (
    !isRecord(snapshot) ||
    snapshot.status !== 'active' ||
    typeof snapshot.value !== 'string' ||
    !isRecord(snapshot.context) ||
    snapshot.context.runId !== runId
  )
    throw corrupt("its snapshot is not an active team run's");
  return data as unknown as SavedTeamRun;
}
