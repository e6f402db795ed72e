// A team run on a system: the team run machine (machines/team-run.ts) decides, and this
// carries out what it emits. The planner, each step and each verdict are ordinary tasks
// (routed by capability, so scheduling, retries, heartbeats, supervision, QoS and metrics
// apply); their results go back to the machine as events: a plan checked against the plan
// schema, a step's output checked against its capability's schema, a verdict.
import { nanoid } from 'nanoid';
import { type Actor, createActor } from 'xstate';
import { planProblems } from '../../machines/team-plan.js';
import {
  type RunStep,
  type StepRequest,
  type TeamHistoryEntry,
  type TeamRunEvent,
  teamRunMachine,
} from '../../machines/team-run.js';
import { TaskCancelled, TeamRunFailed } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { TaskHandle } from '../tasks/task-record.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { type ApprovalAnswer, watchApproval } from './plan-approval.js';
import { traceRun } from './run-record.js';
import { checkTeamSpec, fitSchema, type TeamSpec } from './team-spec.js';
import { verdictOf } from './verdict.js';

export interface TeamResult {
  readonly runId: string;
  /** Every step's accepted output, by step id. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Plans made: 1 when the first plan passed. */
  readonly rounds: number;
  readonly history: readonly TeamHistoryEntry[];
}

export interface TeamRun {
  readonly id: string;
  /** The accepted outputs once the run completes; rejects with TeamRunFailed. */
  result(): Promise<TeamResult>;
  /** Its machine's state: planning, executing, validating, completed, failed, cancelled. */
  state(): string;
  history(): readonly TeamHistoryEntry[];
  /** Each history entry as it happens (for a live view); returns an unsubscribe. */
  subscribe(listener: (entry: TeamHistoryEntry) => void): () => void;
  cancel(reason?: string): void;
  /** Answers the plan awaiting approval (`approval.plan`); false when none is waiting. */
  approve(answer: ApprovalAnswer): boolean;
}

/** Starts a team run on a running system. */
export function runTeam(system: OverseerSystem, spec: TeamSpec): TeamRun {
  const { clock } = system;
  const team = checkTeamSpec(spec, clock.now());
  const runId = `team-${nanoid(10)}`;
  const actor: Actor<typeof teamRunMachine> = createActor(teamRunMachine, {
    input: {
      runId,
      ...(team.maxRounds === undefined ? {} : { maxRounds: team.maxRounds }),
      ...(team.maxStepRuns === undefined ? {} : { maxStepRuns: team.maxStepRuns }),
      ...(team.maxPlanRepairs === undefined ? {} : { maxPlanRepairs: team.maxPlanRepairs }),
      ...(team.approval === undefined ? {} : { approval: team.approval }),
    },
  });
  const trace = team.record && traceRun(actor, system, team.goal, team.record);
  const live = new Set<string>();
  const send = (event: TeamRunEvent) => {
    if (actor.getSnapshot().status === 'active') actor.send(event);
  };
  const approve = watchApproval(actor, clock, team.approval, send);
  const common = (type: string, capability: string, input: unknown): TaskSpec => ({
    type,
    capabilities: [capability],
    input,
    ...(team.qos === undefined ? {} : { qos: team.qos }),
    ...(team.deadline === undefined ? {} : { deadline: team.deadline }),
  });
  /** Submits the task and hands its end to `then`; a run's own cancel is not news. */
  const task = (
    spec: TaskSpec,
    then: (outcome: Outcome) => void,
    submitted?: (handle: TaskHandle) => void,
  ) => {
    system.submit(spec).then(
      (handle) => {
        live.add(handle.id);
        submitted?.(handle);
        handle
          .result()
          .then(
            (value) => then({ ok: true, value }),
            (error: unknown) => {
              if (!(error instanceof TaskCancelled && actor.getSnapshot().status !== 'active'))
                then({ ok: false, error: messageOf(error) });
            },
          )
          .finally(() => live.delete(handle.id));
      },
      (error: unknown) => then({ ok: false, error: messageOf(error) }),
    );
  };
  const capabilities = team.workers === undefined ? undefined : new Set(team.workers);

  actor.on('planner.requested', ({ round, feedback }) =>
    task(
      common('team.plan', team.planner, {
        goal: team.goal,
        round,
        feedback,
        workers: team.workers,
      }),
      (o) => {
        if (!o.ok) return send({ type: 'planner.failed', error: o.error });
        const problems = planProblems(o.value, capabilities ? { capabilities } : {});
        if (problems.length > 0)
          return send({
            type: 'plan.invalid',
            problems: problems.map((p) => `${p.path}: ${p.problem}`),
          });
        send({ type: 'plan.ready', steps: stepsOf(o.value) });
      },
    ),
  );
  actor.on('step.requested', ({ requests }) => {
    for (const request of requests) runStep(request);
  });
  const runStep = ({ step, run, feedback, inputs }: StepRequest) =>
    task(
      common('team.step', step.capability, {
        goal: team.goal,
        step: step.id,
        input: step.input,
        inputs,
        feedback,
        run,
      }),
      async (o) => {
        if (!o.ok) return send({ type: 'step.failed', stepId: step.id, error: o.error });
        const schema = team.outputs?.[step.capability];
        const fit = schema
          ? await fitSchema(schema, o.value)
          : { ok: true as const, value: o.value };
        if (!fit.ok) return send({ type: 'step.invalid', stepId: step.id, issues: fit.issues });
        send({ type: 'step.output', stepId: step.id, output: fit.value });
      },
      (handle) => trace?.stepTask(step.id, handle),
    );
  actor.on('validator.requested', ({ items }) => {
    for (const { step, output } of items)
      task(common('team.validate', team.validator, { goal: team.goal, step, output }), (o) => {
        const verdict = o.ok ? verdictOf(o.value) : { error: o.error };
        if ('error' in verdict) return send({ type: 'validator.failed', error: verdict.error });
        send({ type: 'verdict', stepId: step.id, ...verdict });
      });
  });

  const listeners = new Set<(entry: TeamHistoryEntry) => void>();
  let seen = 0;
  actor.subscribe((snapshot) => {
    const { history } = snapshot.context;
    for (; seen < history.length; seen++)
      for (const l of listeners) l(history[seen] as TeamHistoryEntry);
  });
  const ended = new Promise<TeamResult>((resolve, reject) => {
    const resultOf = (outputs: Readonly<Record<string, unknown>>): TeamResult => {
      const { context } = actor.getSnapshot();
      return { runId, outputs, rounds: context.round, history: context.history };
    };
    actor.on('run.completed', ({ outputs }) => resolve(resultOf(outputs)));
    const fail = ({ reason }: { reason: string }) => {
      for (const id of live) system.cancel(id, `team run ${runId} ended: ${reason}`);
      reject(new TeamRunFailed(runId, reason, actor.getSnapshot().context.history));
    };
    actor.on('run.failed', fail);
    actor.on('run.cancelled', fail);
  });
  ended.catch(() => undefined); // a caller that never asks for the result is not an unhandled rejection
  actor.start();
  if (team.deadline !== undefined) {
    const timer = clock.setTimeout(
      () => send({ type: 'deadline.reached' }),
      team.deadline - clock.now(),
    );
    ended.finally(() => clock.clearTimeout(timer)).catch(() => undefined);
  }
  return {
    id: runId,
    result: () => ended,
    state: () => String(actor.getSnapshot().value),
    history: () => actor.getSnapshot().context.history,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel: (reason = 'cancelled') => send({ type: 'cancel', reason }),
    approve,
  };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A checked plan's steps as the machine keeps them. */
function stepsOf(plan: unknown): RunStep[] {
  const { steps } = plan as {
    steps: { id: string; capability: string; input?: unknown; dependsOn?: string[] }[];
  };
  return steps.map((s) => ({
    id: s.id,
    capability: s.capability,
    input: s.input,
    dependsOn: s.dependsOn ?? [],
  }));
}
