// What a team run's events do to its context: the assignments of machines/team-run.ts,
// as pure functions of the context and the event (the machine decides when each applies).
import type { TeamHistoryEntry, TeamRunContext, TeamRunEvent } from './team-run-types.js';
import { failuresOf, freshBook, heldInWave, stepOf, withSteps } from './team-steps.js';

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
  const change = { phase: 'produced', output: event.output, write: event.write } as const;
  return {
    ...withSteps(context, [[event.stepId, change]]),
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
          readVersion: context.shared?.version,
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
        : `still rejected after ${context.maxStepRuns} run${context.maxStepRuns === 1 ? '' : 's'}: ${event.type === 'verdict' ? (event.feedback ?? 'no feedback') : ''}`;
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

/** An accepted output counts; what it writes makes the shared state's next version. */
export const acceptStep = ({ context, event }: Args): Partial<TeamRunContext> => {
  if (event.type !== 'verdict') return {};
  const accepted = withSteps(context, [[event.stepId, { phase: 'accepted' }]]);
  const verdict: TeamHistoryEntry = { kind: 'verdict', stepId: event.stepId, accept: true };
  const write = stepOf(context, event.stepId)?.write;
  const { shared } = context;
  if (write === undefined || shared === null)
    return { ...accepted, history: logged(context, verdict) };
  const version = shared.version + 1;
  return {
    ...accepted,
    shared: { version, value: { ...shared.value, ...write } },
    history: logged(context, verdict, {
      kind: 'state.write',
      stepId: event.stepId,
      version,
      basedOn: shared.version,
    }),
  };
};

/**
 * A good output written on a read another accepted write has since outdated: refused, and
 * the step runs again on the fresh state (not counted against `maxStepRuns`: each refusal
 * follows another step's accepted write, and a round accepts at most one per step).
 */
export const staleStep = ({ context, event }: Args): Partial<TeamRunContext> => {
  if (event.type !== 'verdict') return {};
  const s = stepOf(context, event.stepId);
  const read = s?.readVersion ?? 0;
  const current = context.shared?.version ?? 0;
  const note = `the shared state changed while you worked (you read version ${read}, it is now ${current}): work from the fresh state`;
  return {
    ...withSteps(context, [
      [
        event.stepId,
        {
          phase: 'waiting',
          stale: (s?.stale ?? 0) + 1,
          write: undefined,
          feedback: [...(s?.feedback ?? []), note],
        },
      ],
    ]),
    history: logged(context, { kind: 'step.stale', stepId: event.stepId, read, current }),
  };
};

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
        ? `no one approved ${awaitedName(context)} in time`
        : event.type === 'validator.failed'
          ? `the validator failed: ${event.error}`
          : event.type === 'plan.invalid'
            ? `the planner returned ${context.planRepairs + 1} invalid plans in a row: ${event.problems.join('; ')}`
            : event.type === 'deadline.reached'
              ? 'the run passed its deadline'
              : event.type === 'cancel' || event.type === 'fail'
                ? event.reason
                : context.reason,
});

const awaitedName = (c: TeamRunContext) =>
  c.awaiting?.kind === 'steps' ? `step ${c.awaiting.stepIds.join(', ')}` : 'the plan';

/** The plan waits for a person. */
export const awaitPlan = ({ context }: Args): Partial<TeamRunContext> => ({
  awaiting: { kind: 'plan' },
  history: logged(context, { kind: 'approval.requested', round: context.round }),
});

/** Steps of the next wave wait for a person before they run. */
export const awaitSteps = ({ context }: Args): Partial<TeamRunContext> => {
  const stepIds = heldInWave(context).map((step) => step.id);
  return {
    awaiting: { kind: 'steps', stepIds },
    history: logged(context, { kind: 'approval.requested', round: context.round, stepIds }),
  };
};

/**
 * A person's answer (or none in time), logged. Approved steps may run; a rejected plan is
 * the next plan's feedback; a rejected step fails with the person's reason, so the planner
 * hears it when it replans.
 */
export const noteApproval = ({ context, event }: Args): Partial<TeamRunContext> => {
  const timedOut = event.type === 'approval.timeout';
  const accept =
    event.type === 'approval' ? event.accept : context.approval.onTimeout === 'proceed';
  const feedback = event.type === 'approval' ? event.feedback : undefined;
  const { awaiting } = context;
  const stepIds = awaiting?.kind === 'steps' ? awaiting.stepIds : undefined;
  const reason = `a person rejected ${awaitedName(context)}: ${feedback ?? 'no reason given'}`;
  const rejected = !(accept || timedOut);
  const steps =
    stepIds === undefined
      ? {}
      : withSteps(
          context,
          stepIds.map(
            (id) =>
              [
                id,
                accept ? { approved: true } : { phase: 'failed' as const, error: reason },
              ] as const,
          ),
        );
  return {
    ...steps,
    awaiting: null,
    ...(rejected && stepIds === undefined ? { planFeedback: [reason] } : {}),
    history: logged(context, {
      kind: 'approval',
      accept,
      ...(feedback === undefined ? {} : { feedback }),
      ...(timedOut ? { timedOut } : {}),
      ...(stepIds === undefined ? {} : { stepIds }),
    }),
  };
};
