// A team run: a planner breaks a goal into a plan of steps, workers run the steps (as
// ordinary tasks, routed by capability), a validator judges each output, and the run
// replans when a step cannot be made to pass. The run goes in waves: every step whose
// dependencies are accepted runs (`executing`); the wave's outputs are judged
// (`validating`); a rejected step runs again with the feedback, an output that does not
// fit its schema is repaired the same way, up to `maxStepRuns` runs a round; a step that
// still fails sends the run back to the planner with the failures (`replanning`), up to
// `maxRounds` plans. The runtime (src/teams/) carries out what the machine emits.
import { assign, emit, setup } from 'xstate';
import type {
  RunStep,
  TeamHistoryEntry,
  TeamRunContext,
  TeamRunEmitted,
  TeamRunEvent,
  TeamRunInput,
} from './team-run-types.js';
import {
  allAccepted,
  anyFailed,
  anyProduced,
  failuresOf,
  freshStates,
  inputsOf,
  outputsOf,
  readyWave,
  validationSettled,
  waveSettled,
  withStep,
} from './team-steps.js';

export type * from './team-run-types.js';

const logged = (c: TeamRunContext, ...entries: TeamHistoryEntry[]) => [...c.history, ...entries];

export const teamRunMachine = setup({
  types: {
    input: {} as TeamRunInput,
    context: {} as TeamRunContext,
    events: {} as TeamRunEvent,
    emitted: {} as TeamRunEmitted,
  },
  guards: {
    planRepairsLeft: ({ context }) => context.planRepairs < context.maxPlanRepairs,
    runsLeft: ({ context, event }) =>
      'stepId' in event && (context.state[event.stepId]?.runs ?? 0) < context.maxStepRuns,
    accepted: ({ event }) => event.type === 'verdict' && event.accept,
    waveFailed: ({ context }) => waveSettled(context) && anyFailed(context),
    waveProduced: ({ context }) => waveSettled(context) && anyProduced(context),
    stuck: ({ context }) => waveSettled(context) && !anyProduced(context) && !allAccepted(context),
    judgedWithFailure: ({ context }) => validationSettled(context) && anyFailed(context),
    judgedAll: ({ context }) => validationSettled(context) && allAccepted(context),
    judged: ({ context }) => validationSettled(context),
    roundsLeft: ({ context }) => context.round < context.maxRounds,
  },
  actions: {
    requestPlan: emit(({ context }) => ({
      type: 'planner.requested' as const,
      round: context.round,
      feedback: context.planFeedback.length > 0 ? context.planFeedback : context.failures,
    })),
    takePlan: assign(({ context, event }) => {
      const steps = event.type === 'plan.ready' ? event.steps : [];
      return {
        steps,
        state: freshStates(steps),
        planFeedback: [],
        planRepairs: 0,
        history: logged(context, { kind: 'plan', round: context.round, steps }),
      };
    }),
    noteInvalidPlan: assign(({ context, event }) => {
      const problems = event.type === 'plan.invalid' ? event.problems : [];
      return {
        planRepairs: context.planRepairs + 1,
        planFeedback: problems.map((p) => `the plan was invalid: ${p}`),
        history: logged(context, { kind: 'plan.invalid', round: context.round, problems }),
      };
    }),
    startWave: assign(({ context }) => {
      let state = context.state;
      for (const step of readyWave(context))
        state = withStep(state, step.id, {
          phase: 'running',
          runs: (state[step.id]?.runs ?? 0) + 1,
        });
      return { state };
    }),
    requestWave: emit(({ context }) => ({
      type: 'step.requested' as const,
      requests: context.steps
        .filter((step) => context.state[step.id]?.phase === 'running')
        .map((step) => requestOf(context, step)),
    })),
    takeOutput: assign(({ context, event }) => {
      if (event.type !== 'step.output') return {};
      const runs = context.state[event.stepId]?.runs ?? 0;
      return {
        state: withStep(context.state, event.stepId, { phase: 'produced', output: event.output }),
        history: logged(context, { kind: 'step.output', stepId: event.stepId, run: runs }),
      };
    }),
    repairStep: assign(({ context, event }) => {
      if (event.type !== 'step.invalid') return {};
      const s = context.state[event.stepId];
      const feedback = event.issues.map((i) => `your output did not fit its schema: ${i}`);
      return {
        state: withStep(context.state, event.stepId, {
          phase: 'running',
          runs: (s?.runs ?? 0) + 1,
          repairs: (s?.repairs ?? 0) + 1,
          feedback: [...(s?.feedback ?? []), ...feedback],
        }),
        history: logged(context, {
          kind: 'step.repair',
          stepId: event.stepId,
          issues: event.issues,
        }),
      };
    }),
    requestRepair: emit(({ context, event }) => {
      const step = context.steps.find((s) => 'stepId' in event && s.id === event.stepId);
      return {
        type: 'step.requested' as const,
        requests: step ? [requestOf(context, step)] : [],
      };
    }),
    failStep: assign(({ context, event }) => {
      if (!('stepId' in event)) return {};
      const error =
        event.type === 'step.failed'
          ? event.error
          : event.type === 'step.invalid'
            ? `output did not fit its schema after ${context.maxStepRuns} runs: ${event.issues.join('; ')}`
            : `rejected ${context.maxStepRuns} times: ${event.type === 'verdict' ? (event.feedback ?? 'no feedback') : ''}`;
      return {
        state: withStep(context.state, event.stepId, { phase: 'failed', error }),
        history: logged(context, { kind: 'step.failed', stepId: event.stepId, error }),
      };
    }),
    startValidation: assign(({ context }) => {
      let state = context.state;
      for (const [id, s] of Object.entries(state))
        if (s.phase === 'produced') state = withStep(state, id, { phase: 'validating' });
      return { state };
    }),
    requestValidation: emit(({ context }) => ({
      type: 'validator.requested' as const,
      items: context.steps
        .filter((step) => context.state[step.id]?.phase === 'validating')
        .map((step) => ({ step, output: context.state[step.id]?.output })),
    })),
    acceptStep: assign(({ context, event }) =>
      event.type === 'verdict'
        ? {
            state: withStep(context.state, event.stepId, { phase: 'accepted' }),
            history: logged(context, { kind: 'verdict', stepId: event.stepId, accept: true }),
          }
        : {},
    ),
    rejectStep: assign(({ context, event }) => {
      if (event.type !== 'verdict') return {};
      const s = context.state[event.stepId];
      const feedback = event.feedback ?? 'rejected without feedback';
      return {
        state: withStep(context.state, event.stepId, {
          phase: 'waiting',
          rejections: (s?.rejections ?? 0) + 1,
          feedback: [...(s?.feedback ?? []), `the validator rejected your output: ${feedback}`],
        }),
        history: logged(context, {
          kind: 'verdict',
          stepId: event.stepId,
          accept: false,
          feedback,
        }),
      };
    }),
    nextRound: assign(({ context }) => {
      const failures = failuresOf(context);
      return {
        round: context.round + 1,
        failures,
        history: logged(context, { kind: 'replan', round: context.round + 1, failures }),
      };
    }),
    because: assign(({ context, event }) => ({
      reason:
        event.type === 'planner.failed'
          ? `the planner failed: ${event.error}`
          : event.type === 'plan.invalid'
            ? `the planner returned ${context.planRepairs + 1} invalid plans in a row: ${event.problems.join('; ')}`
            : event.type === 'deadline.reached'
              ? 'the run passed its deadline'
              : event.type === 'cancel'
                ? event.reason
                : context.reason,
    })),
    outOfRounds: assign(({ context }) => ({
      reason: `no plan passed in ${context.maxRounds} rounds: ${failuresOf(context).join('; ')}`,
    })),
    stuckReason: assign({ reason: 'no step of the plan can run' }),
    emitCompleted: emit(({ context }) => ({
      type: 'run.completed' as const,
      outputs: outputsOf(context),
    })),
    emitFailed: emit(({ context }) => ({
      type: 'run.failed' as const,
      reason: context.reason ?? 'failed',
    })),
    emitCancelled: emit(({ context }) => ({
      type: 'run.cancelled' as const,
      reason: context.reason ?? 'cancelled',
    })),
    logEnd: assign(({ context }, outcome: 'completed' | 'failed' | 'cancelled') => ({
      history: logged(context, {
        kind: 'end',
        outcome,
        ...(context.reason === null ? {} : { reason: context.reason }),
      }),
    })),
  },
}).createMachine({
  id: 'teamRun',
  context: ({ input }) => ({
    runId: input.runId,
    maxRounds: input.maxRounds ?? 3,
    maxStepRuns: input.maxStepRuns ?? 3,
    maxPlanRepairs: input.maxPlanRepairs ?? 2,
    round: 1,
    planRepairs: 0,
    steps: [],
    state: {},
    failures: [],
    planFeedback: [],
    history: [],
    reason: null,
  }),
  initial: 'planning',
  on: {
    cancel: { target: '.cancelled', actions: 'because' },
    'deadline.reached': { target: '.failed', actions: 'because' },
  },
  states: {
    planning: {
      entry: 'requestPlan',
      on: {
        'plan.ready': { target: 'executing', actions: 'takePlan' },
        'plan.invalid': [
          {
            guard: 'planRepairsLeft',
            target: 'planning',
            reenter: true,
            actions: 'noteInvalidPlan',
          },
          { target: 'failed', actions: 'because' },
        ],
        'planner.failed': { target: 'failed', actions: 'because' },
      },
    },
    executing: {
      entry: ['startWave', 'requestWave'],
      always: [
        { guard: 'waveFailed', target: 'replanning' },
        { guard: 'waveProduced', target: 'validating' },
        { guard: 'stuck', target: 'failed', actions: 'stuckReason' },
      ],
      on: {
        'step.output': { actions: 'takeOutput' },
        'step.invalid': [
          { guard: 'runsLeft', actions: ['repairStep', 'requestRepair'] },
          { actions: 'failStep' },
        ],
        'step.failed': { actions: 'failStep' },
      },
    },
    validating: {
      entry: ['startValidation', 'requestValidation'],
      always: [
        { guard: 'judgedWithFailure', target: 'replanning' },
        { guard: 'judgedAll', target: 'completed' },
        { guard: 'judged', target: 'executing' },
      ],
      on: {
        verdict: [
          { guard: 'accepted', actions: 'acceptStep' },
          { guard: 'runsLeft', actions: 'rejectStep' },
          { actions: 'failStep' },
        ],
      },
    },
    replanning: {
      always: [
        { guard: 'roundsLeft', target: 'planning', actions: 'nextRound' },
        { target: 'failed', actions: 'outOfRounds' },
      ],
    },
    completed: {
      type: 'final',
      entry: ['emitCompleted', { type: 'logEnd', params: 'completed' }],
    },
    failed: { type: 'final', entry: ['emitFailed', { type: 'logEnd', params: 'failed' }] },
    cancelled: {
      type: 'final',
      entry: ['emitCancelled', { type: 'logEnd', params: 'cancelled' }],
    },
  },
});

function requestOf(context: TeamRunContext, step: RunStep) {
  const s = context.state[step.id];
  return { step, run: s?.runs ?? 1, feedback: s?.feedback ?? [], inputs: inputsOf(context, step) };
}

export type TeamRunMachine = typeof teamRunMachine;
