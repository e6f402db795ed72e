// What a team run's events do to its context: the assignments of machines/team-run.ts,
// as pure functions of the context and the event (the machine decides when each applies).
import type { TeamHistoryEntry, TeamRunContext, TeamRunEvent } from './team-run-types.js';
import { failuresOf, freshBook, stepOf, withSteps } from './team-steps.js';

interface Args {
  readonly context: TeamRunContext;
  readonly event: TeamRunEvent;
}

/** The run's history with `entries` added at its end. */
export const logged = (c: TeamRunContext, ...entries: TeamHistoryEntry[]) => [
  ...c.history,
  ...entries,
];

export const takePlan = ({ context, event }: Args): Partial<TeamRunContext> => {
  const steps = event.type === 'plan.ready' ? event.steps : [];
  return {
    ...freshBook(steps),
    planFeedback: [],
    planRepairs: 0,
    history: logged(context, { kind: 'plan', round: context.round, steps }),
  };
};

export const noteInvalidPlan = ({ context, event }: Args): Partial<TeamRunContext> => {
  const problems = event.type === 'plan.invalid' ? event.problems : [];
  return {
    planRepairs: context.planRepairs + 1,
    planFeedback: problems.map((p) => `the plan was invalid: ${p}`),
    history: logged(context, { kind: 'plan.invalid', round: context.round, problems }),
  };
};

export const takeOutput = ({ context, event }: Args): Partial<TeamRunContext> => {
  if (event.type !== 'step.output') return {};
  const runs = stepOf(context, event.stepId)?.runs ?? 0;
  return {
    ...withSteps(context, [[event.stepId, { phase: 'produced', output: event.output }]]),
    history: logged(context, { kind: 'step.output', stepId: event.stepId, run: runs }),
  };
};

export const repairStep = ({ context, event }: Args): Partial<TeamRunContext> => {
  if (event.type !== 'step.invalid') return {};
  const s = stepOf(context, event.stepId);
  const feedback = event.issues.map((i) => `your output did not fit its schema: ${i}`);
  return {
    ...withSteps(context, [
      [
        event.stepId,
        {
          phase: 'running',
          runs: (s?.runs ?? 0) + 1,
          repairs: (s?.repairs ?? 0) + 1,
          feedback: [...(s?.feedback ?? []), ...feedback],
        },
      ],
    ]),
    history: logged(context, {
      kind: 'step.repair',
      stepId: event.stepId,
      issues: event.issues,
    }),
  };
};

export const failStep = ({ context, event }: Args): Partial<TeamRunContext> => {
  if (!('stepId' in event)) return {};
  const error =
    event.type === 'step.failed'
      ? event.error
      : event.type === 'step.invalid'
        ? `output did not fit its schema after ${context.maxStepRuns} runs: ${event.issues.join('; ')}`
        : `rejected ${context.maxStepRuns} times: ${event.type === 'verdict' ? (event.feedback ?? 'no feedback') : ''}`;
  const failed: TeamHistoryEntry = { kind: 'step.failed', stepId: event.stepId, error };
  // A last rejection is a verdict given: the history keeps it before the failure.
  const judged: TeamHistoryEntry[] =
    event.type === 'verdict'
      ? [
          {
            kind: 'verdict',
            stepId: event.stepId,
            accept: false,
            feedback: event.feedback ?? 'rejected without feedback',
          },
        ]
      : [];
  return {
    ...withSteps(context, [[event.stepId, { phase: 'failed', error }]]),
    history: logged(context, ...judged, failed),
  };
};

export const acceptStep = ({ context, event }: Args): Partial<TeamRunContext> =>
  event.type === 'verdict'
    ? {
        ...withSteps(context, [[event.stepId, { phase: 'accepted' }]]),
        history: logged(context, { kind: 'verdict', stepId: event.stepId, accept: true }),
      }
    : {};

export const rejectStep = ({ context, event }: Args): Partial<TeamRunContext> => {
  if (event.type !== 'verdict') return {};
  const s = stepOf(context, event.stepId);
  const feedback = event.feedback ?? 'rejected without feedback';
  return {
    ...withSteps(context, [
      [
        event.stepId,
        {
          phase: 'waiting',
          rejections: (s?.rejections ?? 0) + 1,
          feedback: [...(s?.feedback ?? []), `the validator rejected your output: ${feedback}`],
        },
      ],
    ]),
    history: logged(context, {
      kind: 'verdict',
      stepId: event.stepId,
      accept: false,
      feedback,
    }),
  };
};

export const nextRound = ({ context }: Args): Partial<TeamRunContext> => {
  const failures = [...failuresOf(context), ...context.planFeedback];
  return {
    round: context.round + 1,
    failures,
    history: logged(context, { kind: 'replan', round: context.round + 1, failures }),
  };
};

export const because = ({ context, event }: Args): Partial<TeamRunContext> => ({
  reason:
    event.type === 'planner.failed'
      ? `the planner failed: ${event.error}`
      : event.type === 'approval.timeout'
        ? 'no one approved the plan in time'
        : event.type === 'validator.failed'
          ? `the validator failed: ${event.error}`
          : event.type === 'plan.invalid'
            ? `the planner returned ${context.planRepairs + 1} invalid plans in a row: ${event.problems.join('; ')}`
            : event.type === 'deadline.reached'
              ? 'the run passed its deadline'
              : event.type === 'cancel'
                ? event.reason
                : context.reason,
});

/** A person's answer on the plan (or none in time): logged; a rejection is the next plan's feedback. */
export const noteApproval = ({ context, event }: Args): Partial<TeamRunContext> => {
  const timedOut = event.type === 'approval.timeout';
  const accept =
    event.type === 'approval' ? event.accept : context.approval.onTimeout === 'proceed';
  const feedback = event.type === 'approval' ? event.feedback : undefined;
  return {
    ...(accept || timedOut
      ? {}
      : { planFeedback: [`a person rejected the plan: ${feedback ?? 'no reason given'}`] }),
    history: logged(context, {
      kind: 'approval',
      accept,
      ...(feedback === undefined ? {} : { feedback }),
      ...(timedOut ? { timedOut } : {}),
    }),
  };
};
