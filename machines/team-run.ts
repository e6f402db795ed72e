// A team run: a planner breaks a goal into a plan of steps, workers run the steps (as
// ordinary tasks, routed by capability), a validator judges each output, and the run
// replans when a step cannot be made to pass. The run goes in waves: every step whose
// dependencies are accepted runs (`executing`); the wave's outputs are judged
// (`validating`); a rejected step runs again with the feedback, an output that does not
// fit its schema is repaired the same way, up to `maxStepRuns` runs a round; a step that
// still fails sends the run back to the planner with the failures (`replanning`), up to
// `maxRounds` plans. A person may have to approve the plan, or named steps before they run
// (`awaitingApproval`). Steps read the run's versioned shared state; an accepted output's
// write makes its next version, and one written on an outdated read is refused and the step
// runs again on the fresh state. Restored from a stored snapshot, the run is sent `resumed`
// and asks again for what it waits for. The runtime (src/teams/) carries out what it emits.
import { and, assign, emit, setup } from 'xstate';
import { teamRunGuards } from './team-run-guards.js';
import type {
  RunStep,
  TeamRunContext,
  TeamRunEmitted,
  TeamRunEvent,
  TeamRunInput,
} from './team-run-types.js';
import {
  acceptStep,
  awaitPlan,
  awaitSteps,
  because,
  failStep,
  logged,
  nextRound,
  noteApproval,
  noteInvalidPlan,
  rejectStep,
  repairStep,
  staleStep,
  takeOutput,
  takePlan,
} from './team-run-updates.js';
import {
  failuresOf,
  freshBook,
  inputsOf,
  outputsOf,
  readyWave,
  stepOf,
  stepsIn,
  withSteps,
} from './team-steps.js';

export type * from './team-run-types.js';

export const teamRunMachine = setup({
  types: {
    input: {} as TeamRunInput,
    context: {} as TeamRunContext,
    events: {} as TeamRunEvent,
    emitted: {} as TeamRunEmitted,
  },
  guards: teamRunGuards,
  actions: {
    requestApproval: emit(({ context }) => {
      const { awaiting } = context;
      const ids = awaiting?.kind === 'steps' ? new Set(awaiting.stepIds) : undefined;
      return {
        type: 'approval.requested' as const,
        kind: ids ? ('steps' as const) : ('plan' as const),
        round: context.round,
        steps: ids ? context.steps.filter((step) => ids.has(step.id)) : context.steps,
      };
    }),
    noteApproval: assign(noteApproval),
    awaitPlan: assign(awaitPlan),
    awaitSteps: assign(awaitSteps),
    requestPlan: emit(({ context }) => ({
      type: 'planner.requested' as const,
      round: context.round,
      attempt: context.planRepairs + 1,
      feedback: context.planFeedback.length > 0 ? context.planFeedback : context.failures,
    })),
    takePlan: assign(takePlan),
    noteInvalidPlan: assign(noteInvalidPlan),
    startWave: assign(({ context }) =>
      withSteps(
        context,
        readyWave(context).map((step) => [
          step.id,
          {
            phase: 'running',
            runs: (stepOf(context, step.id)?.runs ?? 0) + 1,
            readVersion: context.shared?.version,
          },
        ]),
      ),
    ),
    requestWave: emit(({ context }) => ({
      type: 'step.requested' as const,
      round: context.round,
      requests: stepsIn(context, 'running').map((step) => requestOf(context, step)),
    })),
    takeOutput: assign(takeOutput),
    repairStep: assign(repairStep),
    requestRepair: emit(({ context, event }) => {
      const step = context.steps.find((s) => 'stepId' in event && s.id === event.stepId);
      return {
        type: 'step.requested' as const,
        round: context.round,
        requests: step ? [requestOf(context, step)] : [],
      };
    }),
    failStep: assign(failStep),
    startValidation: assign(({ context }) =>
      withSteps(
        context,
        stepsIn(context, 'produced').map((step) => [step.id, { phase: 'validating' }]),
      ),
    ),
    requestValidation: emit(({ context }) => ({
      type: 'validator.requested' as const,
      round: context.round,
      items: stepsIn(context, 'validating').map((step) => ({
        step,
        run: stepOf(context, step.id)?.runs ?? 1,
        output: stepOf(context, step.id)?.output,
      })),
    })),
    acceptStep: assign(acceptStep),
    rejectStep: assign(rejectStep),
    staleStep: assign(staleStep),
    nextRound: assign(nextRound),
    because: assign(because),
    outOfRounds: assign(({ context }) => ({
      reason: `no plan passed in ${context.maxRounds} rounds: ${[...failuresOf(context), ...context.planFeedback].join('; ')}`,
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
    approval: {
      plan: input.approval?.plan ?? false,
      steps: input.approval?.steps ?? [],
      onTimeout: input.approval?.onTimeout ?? 'fail',
    },
    awaiting: null,
    shared: input.state === undefined ? null : { version: 0, value: input.state },
    round: 1,
    planRepairs: 0,
    ...freshBook([]),
    failures: [],
    planFeedback: [],
    history: [],
    reason: null,
  }),
  initial: 'planning',
  on: {
    cancel: { target: '.cancelled', actions: 'because' },
    'deadline.reached': { target: '.failed', actions: 'because' },
    fail: { target: '.failed', actions: 'because' },
  },
  states: {
    planning: {
      entry: 'requestPlan',
      on: {
        resumed: { actions: 'requestPlan' },
        'plan.ready': [
          {
            guard: 'needsPlanApproval',
            target: 'awaitingApproval',
            actions: ['takePlan', 'awaitPlan'],
          },
          { target: 'nextWave', actions: 'takePlan' },
        ],
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
    awaitingApproval: {
      entry: 'requestApproval',
      on: {
        resumed: { actions: 'requestApproval' },
        approval: [
          { guard: 'approved', target: 'nextWave', actions: 'noteApproval' },
          { target: 'replanning', actions: 'noteApproval' },
        ],
        'approval.timeout': [
          { guard: 'proceedOnTimeout', target: 'nextWave', actions: 'noteApproval' },
          { target: 'failed', actions: ['because', 'noteApproval'] },
        ],
      },
    },
    nextWave: {
      always: [
        { guard: 'waveNeedsApproval', target: 'awaitingApproval', actions: 'awaitSteps' },
        { target: 'executing' },
      ],
    },
    executing: {
      entry: ['startWave', 'requestWave'],
      always: [
        { guard: 'waveFailed', target: 'replanning' },
        { guard: 'waveProduced', target: 'validating' },
        { guard: 'stuck', target: 'failed', actions: 'stuckReason' },
      ],
      on: {
        resumed: { actions: 'requestWave' },
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
        { guard: 'judged', target: 'nextWave' },
      ],
      on: {
        resumed: { actions: 'requestValidation' },
        'validator.failed': { target: 'failed', actions: 'because' },
        verdict: [
          { guard: and(['accepted', 'staleWrite']), actions: 'staleStep' },
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
  const s = stepOf(context, step.id);
  return {
    step,
    run: s?.runs ?? 1,
    feedback: s?.feedback ?? [],
    inputs: inputsOf(context, step),
    ...(context.shared === null ? {} : { state: context.shared }),
  };
}

export type TeamRunMachine = typeof teamRunMachine;
