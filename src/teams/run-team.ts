// A team run on a system: the team run machine (machines/team-run.ts) decides, and the
// runtime carries out what it emits (team-tasks.ts: the planner's, steps' and verdicts'
// tasks), arms the approval timeout (plan-approval.ts), saves the run as it moves when the
// system has a store (team-saving.ts), and tells listeners what happens, as it happens.
import { nanoid } from 'nanoid';
import { type Actor, createActor } from 'xstate';
import {
  type TeamHistoryEntry,
  type TeamRunEvent,
  teamRunMachine,
} from '../../machines/team-run.js';
import { callListener } from '../core/listener-faults.js';
import { TeamRunFailed } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { watchApproval } from './plan-approval.js';
import { traceRun } from './run-record.js';
import { forgetLive, registerLive } from './team-registry.js';
import type { TeamEvent, TeamResult, TeamRun } from './team-run-handle.js';
import { type SavedTeamRun, saveAsItMoves, savedRun } from './team-saving.js';
import { checkTeamSpec, type TeamSpec } from './team-spec.js';
import { teamTasks } from './team-tasks.js';

/** A team's definition without a goal: what `resumeTeam` needs to go on with a saved run. */
export type TeamDefinition = Omit<TeamSpec, 'goal' | 'deadline'>;

/** Starts a team run on a running system. */
export function runTeam(system: OverseerSystem, spec: TeamSpec): TeamRun {
  const team = checkTeamSpec(spec, system.clock.now());
  const runId = `team-${nanoid(10)}`;
  const actor = createActor(teamRunMachine, {
    input: {
      runId,
      ...(team.maxRounds === undefined ? {} : { maxRounds: team.maxRounds }),
      ...(team.maxStepRuns === undefined ? {} : { maxStepRuns: team.maxStepRuns }),
      ...(team.maxPlanRepairs === undefined ? {} : { maxPlanRepairs: team.maxPlanRepairs }),
      ...(team.approval === undefined ? {} : { approval: team.approval }),
      ...(team.state === undefined ? {} : { state: team.state.initial }),
    },
  });
  return drive(system, team, runId, actor, savedOf(team), undefined);
}

/**
 * Goes on with a team run the system's store saved (after a restart, say): the run carries
 * on from where it was saved, with `team` giving what a store cannot hold (schemas, writes,
 * the record callback). A run waiting for approval still waits, for what is left of its
 * timeout. Throws UnknownTeamRun when the store holds no such run, and when it runs already.
 */
export function resumeTeam(system: OverseerSystem, runId: string, team: TeamDefinition): TeamRun {
  const { store } = system;
  if (store === undefined) throw new TypeError('resumeTeam needs a system with a store');
  const saved = savedRun(store, runId);
  const spec = checkTeamSpec({ ...team, goal: saved.goal }, system.clock.now());
  // The input is not read: the context comes from the snapshot.
  const actor = createActor(teamRunMachine, {
    snapshot: saved.snapshot as ReturnType<Actor<typeof teamRunMachine>['getPersistedSnapshot']>,
    input: { runId },
  });
  const resumed = { ...spec, ...savedOf(saved) };
  return drive(system, resumed, runId, actor, savedOf(saved), saved.approvalDueAt);
}

function savedOf(team: Omit<SavedTeamRun, 'v' | 'snapshot'>) {
  return {
    goal: team.goal,
    ...(team.name === undefined ? {} : { name: team.name }),
    ...(team.deadline === undefined ? {} : { deadline: team.deadline }),
    ...(team.qos === undefined ? {} : { qos: team.qos }),
  };
}

function drive(
  system: OverseerSystem,
  team: TeamSpec,
  runId: string,
  actor: Actor<typeof teamRunMachine>,
  base: ReturnType<typeof savedOf>,
  approvalDueAt: number | undefined,
): TeamRun {
  const { clock, store } = system;
  const resuming = actor.getSnapshot().context.history.length > 0;
  const trace = team.record && traceRun(actor, system, team.goal, team.record);
  const send = (event: TeamRunEvent) => {
    if (actor.getSnapshot().status === 'active') actor.send(event);
  };
  const listeners = new Set<(event: TeamEvent) => void>();
  const tell = (event: TeamEvent) => {
    for (const listener of listeners)
      callListener(listener, event, `team run ${runId} subscribe`, system.listenerFaults);
  };
  const approval = watchApproval(actor, clock, team.approval, send, approvalDueAt);
  const tasks = teamTasks(
    system,
    actor,
    team,
    { runId, goal: team.goal, qos: team.qos, deadline: team.deadline },
    { send, progress: tell, trace },
  );
  let seen = actor.getSnapshot().context.history.length;
  actor.subscribe((snapshot) => {
    const { history } = snapshot.context;
    for (; seen < history.length; seen++) tell(history[seen] as TeamHistoryEntry);
  });
  if (store)
    saveAsItMoves(actor, runId, store, clock, base, approval.dueAt, (reason) =>
      send({ type: 'fail', reason }),
    );
  let suspend = (_reason: string) => {};
  const ended = new Promise<TeamResult>((resolve, reject) => {
    suspend = (reason) =>
      reject(new TeamRunFailed(runId, reason, actor.getSnapshot().context.history));
    actor.on('run.completed', ({ outputs }) => {
      const { context } = actor.getSnapshot();
      resolve({
        runId,
        outputs,
        rounds: context.round,
        history: context.history,
        ...(context.shared === null ? {} : { state: context.shared }),
      });
    });
    const fail = ({ reason }: { reason: string }) => {
      tasks.cancelLive(`team run ${runId} ended: ${reason}`);
      reject(new TeamRunFailed(runId, reason, actor.getSnapshot().context.history));
    };
    actor.on('run.failed', fail);
    actor.on('run.cancelled', fail);
  });
  ended.catch(() => undefined); // a caller that never asks for the result is not an unhandled rejection
  const run: TeamRun = {
    id: runId,
    result: () => ended,
    state: () => String(actor.getSnapshot().value),
    history: () => actor.getSnapshot().context.history,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel: (reason = 'cancelled') => send({ type: 'cancel', reason }),
    approve: approval.approve,
  };
  registerLive(system, run);
  actor.start();
  if (resuming) send({ type: 'resumed' });
  let timer: unknown;
  if (team.deadline !== undefined)
    timer = clock.setTimeout(
      () => send({ type: 'deadline.reached' }),
      Math.max(0, team.deadline - clock.now()),
    );
  // A system that stops takes its runs with it: each is left as last saved (resumeTeam goes
  // on with it on a system with the same store), and its result rejects saying so.
  const offDrained = system.on('system.drained', () => {
    if (actor.getSnapshot().status !== 'active') return;
    actor.stop();
    suspend(
      store
        ? `its system stopped; the run is saved, and resumeTeam(system, '${runId}', team) goes on with it`
        : 'its system stopped (without a store, the run cannot be resumed)',
    );
  });
  ended
    .finally(() => {
      clock.clearTimeout(timer);
      approval.close();
      tasks.close();
      offDrained();
      forgetLive(system, runId);
    })
    .catch(() => undefined);
  return run;
}
