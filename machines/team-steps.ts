// The bookkeeping of a team run's steps, as pure functions of the run's context: which
// steps form the next wave (waiting, every dependency accepted), whether a wave or its
// validation has settled, and what a step's next run is told. machines/team-run.ts decides
// with them. A step's state sits at its plan position (`state[i]` is `steps[i]`'s, `index`
// maps ids to positions), so a change copies one array, not a record of a thousand keys.
import type { RunStep, StepPhase, StepState, TeamRunContext } from './team-run-types.js';

type Counts = Readonly<Record<StepPhase, number>>;
type Book = Pick<TeamRunContext, 'steps' | 'index' | 'state'>;
type Tally = Pick<TeamRunContext, 'counts' | 'steps'>;

export const freshStep: StepState = {
  phase: 'waiting',
  runs: 0,
  repairs: 0,
  rejections: 0,
  feedback: [],
  approved: false,
  stale: 0,
};

/** The bookkeeping of a new plan: every step waiting. */
export function freshBook(steps: readonly RunStep[]) {
  const state = steps.map(() => freshStep);
  return {
    steps,
    index: Object.fromEntries(steps.map((step, i) => [step.id, i])),
    state,
    counts: countsOf(state),
  };
}

/** How many steps are in each phase: kept with the state, so no guard scans the steps. */
export function countsOf(state: readonly StepState[]): Counts {
  const counts = { waiting: 0, running: 0, produced: 0, validating: 0, accepted: 0, failed: 0 };
  for (const s of state) counts[s.phase]++;
  return counts;
}

/** The state of the step with id `id`, if the plan has it. */
export function stepOf(c: Pick<TeamRunContext, 'index' | 'state'>, id: string) {
  const i = c.index[id];
  return i === undefined ? undefined : c.state[i];
}

const phaseOf = (c: Book, id: string) => stepOf(c, id)?.phase;

/** The steps in `phase`, in plan order. */
export const stepsIn = (c: Book, phase: StepPhase) =>
  c.steps.filter((_, i) => c.state[i]?.phase === phase);

/** Waiting steps whose dependencies are all accepted: the next wave. */
export function readyWave(c: Book): RunStep[] {
  return c.steps.filter(
    (step, i) =>
      c.state[i]?.phase === 'waiting' &&
      step.dependsOn.every((id) => phaseOf(c, id) === 'accepted'),
  );
}

/** Whether a person must approve `step` before it runs: its id or capability is named. */
export const needsApproval = (c: Pick<TeamRunContext, 'approval'>, step: RunStep) =>
  c.approval.steps.includes(step.id) || c.approval.steps.includes(step.capability);

/** Steps of the next wave that wait for a person's approval. */
export const heldInWave = (c: Book & Pick<TeamRunContext, 'approval'>) =>
  c.approval.steps.length === 0
    ? []
    : readyWave(c).filter((step) => needsApproval(c, step) && !stepOf(c, step.id)?.approved);

/** No step of the wave is still running. */
export const waveSettled = (c: Tally) => c.counts.running === 0;
/** No verdict is still awaited. */
export const validationSettled = (c: Tally) => c.counts.validating === 0;
export const anyFailed = (c: Tally) => c.counts.failed > 0;
export const anyProduced = (c: Tally) => c.counts.produced > 0;
export const allAccepted = (c: Tally) => c.counts.accepted === c.steps.length;

/** Accepted outputs of the steps `step` depends on. */
export function inputsOf(c: Book, step: RunStep): Record<string, unknown> {
  return Object.fromEntries(step.dependsOn.map((id) => [id, stepOf(c, id)?.output]));
}

/**
 * The state and counts with the given steps' entries changed: one copy of the state for
 * the whole change (a wave of a thousand steps is not a thousand copies).
 */
export function withSteps(
  c: Pick<TeamRunContext, 'index' | 'state' | 'counts'>,
  changes: Iterable<readonly [id: string, change: Partial<StepState>]>,
): { state: readonly StepState[]; counts: Counts } {
  const state = [...c.state];
  const counts = { ...c.counts };
  for (const [id, change] of changes) {
    const i = c.index[id];
    const current = i === undefined ? undefined : state[i];
    if (i === undefined || current === undefined) continue;
    const next = { ...current, ...change };
    counts[current.phase]--;
    counts[next.phase]++;
    state[i] = next;
  }
  return { state, counts };
}

/** Each failed step's reason, for the planner's next round. */
export function failuresOf(c: Book): string[] {
  return c.steps
    .map((step, i) => [step, c.state[i]] as const)
    .filter(([, s]) => s?.phase === 'failed')
    .map(([step, s]) => `step ${step.id}: ${s?.error ?? 'failed'}`);
}

/** Every accepted step's output, by id. */
export function outputsOf(c: Book): Record<string, unknown> {
  return Object.fromEntries(
    c.steps
      .map((step, i) => [step.id, c.state[i]] as const)
      .filter(([, s]) => s?.phase === 'accepted')
      .map(([id, s]) => [id, s?.output]),
  );
}
