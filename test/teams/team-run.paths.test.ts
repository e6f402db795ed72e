import { describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { type RunStep, type TeamRunEvent, teamRunMachine } from '../../machines/team-run.js';
import { exploreMachine } from '../machines/path-coverage.js';

// A small world: plans of one step, or two where the second waits on the first; at most
// two runs of a step, two rounds and one plan repair, so the model's context stays finite.
// Events are offered only where they mean something for the step they name (an output for
// a running step, a verdict for one being validated), plus cancel and the deadline anywhere.
const one: RunStep[] = [{ id: 'a', capability: 'w', input: null, dependsOn: [] }];
const two: RunStep[] = [...one, { id: 'b', capability: 'w', input: null, dependsOn: ['a'] }];
// A plan no step of which can ever run (the runtime refuses such plans; the machine fails
// rather than wait for ever if one came through).
const stuck: RunStep[] = [{ id: 'x', capability: 'w', input: null, dependsOn: ['missing'] }];

type Snapshot = SnapshotFrom<typeof teamRunMachine>;

function events(snapshot: Snapshot): TeamRunEvent[] {
  // An ended run takes no events (the live actor is done; the model would go on).
  if (snapshot.status === 'done') return [];
  const { state, steps } = snapshot.context;
  const out: TeamRunEvent[] = [
    { type: 'cancel', reason: 'stop' },
    { type: 'deadline.reached' },
    { type: 'plan.ready', steps: one },
    { type: 'plan.ready', steps: two },
    { type: 'plan.ready', steps: stuck },
    { type: 'plan.invalid', problems: ['bad'] },
    { type: 'planner.failed', error: 'down' },
    { type: 'validator.failed', error: 'down' },
    { type: 'approval', accept: true },
    { type: 'approval', accept: false, feedback: 'no' },
    { type: 'approval.timeout' },
  ];
  for (const [i, s] of state.entries()) {
    const stepId = steps[i]?.id ?? '';
    if (s.phase === 'running')
      out.push(
        { type: 'step.output', stepId, output: 1 },
        { type: 'step.invalid', stepId, issues: ['x'] },
        { type: 'step.failed', stepId, error: 'crash' },
      );
    if (s.phase === 'validating')
      out.push(
        { type: 'verdict', stepId, accept: true },
        { type: 'verdict', stepId, accept: false, feedback: 'no' },
      );
  }
  return out;
}

const explore = (approval?: { plan: boolean; onTimeout: 'fail' | 'proceed' }) =>
  exploreMachine({
    machine: teamRunMachine,
    input: {
      runId: 'r',
      maxRounds: 2,
      maxStepRuns: 2,
      maxPlanRepairs: 1,
      ...(approval ? { approval } : {}),
    },
    events,
    serialize: (s) => {
      const { round, planRepairs, steps, state } = s.context;
      const phases = state.map((x, i) => [s.context.steps[i]?.id, x.phase, x.runs]);
      return JSON.stringify([s.value, round, planRepairs, steps.length, phases]);
    },
  });

describe('team run machine paths', () => {
  it('reaches every state and takes every transition on paths replayed on a live actor', () => {
    // Three worlds: no approval, and a plan approval that fails or proceeds on timeout.
    const runs = [
      explore(),
      explore({ plan: true, onTimeout: 'fail' }),
      explore({ plan: true, onTimeout: 'proceed' }),
    ];
    for (const coverage of runs) expect(coverage.mismatches).toEqual([]);
    const missedByAll = <T>(pick: (c: (typeof runs)[number]) => readonly T[]) =>
      (pick(runs[0] as (typeof runs)[number]) ?? []).filter((x) =>
        runs.every((c) => pick(c).includes(x)),
      );
    expect(missedByAll((c) => c.states.missed)).toEqual([]);
    expect(missedByAll((c) => c.transitions.missedDefinitions)).toEqual([]);
  });
});
