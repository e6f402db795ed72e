// The team run machine's guards (machines/team-run.ts): the questions its transitions ask of
// the run's context and the event, as pure functions.
import type { TeamRunContext, TeamRunEvent } from './team-run-types.js';
import {
  allAccepted,
  anyFailed,
  anyProduced,
  heldInWave,
  stepOf,
  validationSettled,
  waveSettled,
} from './team-steps.js';

type Args = { readonly context: TeamRunContext; readonly event: TeamRunEvent };

export const teamRunGuards = {
  planRepairsLeft: ({ context }: Args) => context.planRepairs < context.maxPlanRepairs,
  runsLeft: ({ context, event }: Args) => {
    const s = 'stepId' in event ? stepOf(context, event.stepId) : undefined;
    return s !== undefined && s.runs - s.stale < context.maxStepRuns;
  },
  accepted: ({ event }: Args) => event.type === 'verdict' && event.accept,
  waveFailed: ({ context }: Args) => waveSettled(context) && anyFailed(context),
  waveProduced: ({ context }: Args) => waveSettled(context) && anyProduced(context),
  stuck: ({ context }: Args) =>
    waveSettled(context) && !anyProduced(context) && !allAccepted(context),
  judgedWithFailure: ({ context }: Args) => validationSettled(context) && anyFailed(context),
  judgedAll: ({ context }: Args) => validationSettled(context) && allAccepted(context),
  judged: ({ context }: Args) => validationSettled(context),
  roundsLeft: ({ context }: Args) => context.round < context.maxRounds,
  needsPlanApproval: ({ context }: Args) => context.approval.plan,
  waveNeedsApproval: ({ context }: Args) => heldInWave(context).length > 0,
  proceedOnTimeout: ({ context }: Args) => context.approval.onTimeout === 'proceed',
  approved: ({ event }: Args) => event.type === 'approval' && event.accept,
  staleWrite: ({ context, event }: Args) => {
    const s = 'stepId' in event ? stepOf(context, event.stepId) : undefined;
    return s?.write !== undefined && s.readVersion !== context.shared?.version;
  },
};
