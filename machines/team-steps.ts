// The bookkeeping of a team run's steps, as pure functions of the run's context: which
// steps form the next wave (waiting, every dependency accepted), whether a wave or its
// validation has settled, and what a step's next run is told. machines/team-run.ts decides
// with them.
import type { RunStep, StepState, TeamRunContext } from './team-run-types.js';

type States = Readonly<Record<string, StepState>>;

export const freshStep: StepState = {
  phase: 'waiting',
  runs: 0,
  repairs: 0,
  rejections: 0,
  feedback: [],
};

export function freshStates(steps: readonly RunStep[]): States {
  return Object.fromEntries(steps.map((step) => [step.id, freshStep]));
}

const phaseOf = (state: States, id: string) => state[id]?.phase;

/** Waiting steps whose dependencies are all accepted: the next wave. */
export function readyWave(c: Pick<TeamRunContext, 'steps' | 'state'>): RunStep[] {
  return c.steps.filter(
    (step) =>
      phaseOf(c.state, step.id) === 'waiting' &&
      step.dependsOn.every((id) => phaseOf(c.state, id) === 'accepted'),
  );
}

const some = (state: States, phase: StepState['phase']) =>
  Object.values(state).some((s) => s.phase === phase);

/** No step of the wave is still running. */
export const waveSettled = (c: Pick<TeamRunContext, 'state'>) => !some(c.state, 'running');
/** No verdict is still awaited. */
export const validationSettled = (c: Pick<TeamRunContext, 'state'>) => !some(c.state, 'validating');
export const anyFailed = (c: Pick<TeamRunContext, 'state'>) => some(c.state, 'failed');
export const anyProduced = (c: Pick<TeamRunContext, 'state'>) => some(c.state, 'produced');
export const allAccepted = (c: Pick<TeamRunContext, 'state'>) =>
  Object.values(c.state).every((s) => s.phase === 'accepted');

/** Accepted outputs of the steps `step` depends on. */
export function inputsOf(c: Pick<TeamRunContext, 'state'>, step: RunStep): Record<string, unknown> {
  return Object.fromEntries(step.dependsOn.map((id) => [id, c.state[id]?.output]));
}

/** The state with one step's entry changed. */
export function withStep(state: States, id: string, change: Partial<StepState>): States {
  const current = state[id] ?? freshStep;
  return { ...state, [id]: { ...current, ...change } };
}

/** Each failed step's reason, for the planner's next round. */
export function failuresOf(c: Pick<TeamRunContext, 'state'>): string[] {
  return Object.entries(c.state)
    .filter(([, s]) => s.phase === 'failed')
    .map(([id, s]) => `step ${id}: ${s.error ?? 'failed'}`);
}

/** Every accepted step's output, by id. */
export function outputsOf(c: Pick<TeamRunContext, 'state'>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(c.state)
      .filter(([, s]) => s.phase === 'accepted')
      .map(([id, s]) => [id, s.output]),
  );
}
