import { describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import {
  type RunStep,
  type TeamRunEvent,
  type TeamRunInput,
  teamRunMachine,
} from '../../machines/team-run.js';
import { exploreMachine } from '../machines/path-coverage.js';

// A small world: plans of one step, or two where the second waits on the first; at most
// two runs of a step, two rounds and one plan repair, so the model's context stays finite.
// Events are offered only where they mean something for the step they name (an output for
// a running step, a verdict for one being validated), plus cancel and the deadline anywhere.
const one: RunStep[] = [{ id: 'a', capability: 'w', input: null, dependsOn: [] }];
const two: RunStep[] = [...one, { id: 'b', capability: 'w', input: null, dependsOn: ['a'] }];
// Two steps that run side by side (where shared state makes one of them stale).
const par: RunStep[] = [...one, { id: 'b', capability: 'w', input: null, dependsOn: [] }];
// A plan no step of which can ever run (the runtime refuses such plans; the machine fails
// rather than wait for ever if one came through).
const stuck: RunStep[] = [{ id: 'x', capability: 'w', input: null, dependsOn: ['missing'] }];

type Snapshot = SnapshotFrom<typeof teamRunMachine>;

function events(snapshot: Snapshot): TeamRunEvent[] {
  // An ended run takes no events (the live actor is done; the model would go on).
  if (snapshot.status === 'done') return [];
  const { state, steps, shared } = snapshot.context;
  const out: TeamRunEvent[] = [
    { type: 'cancel', reason: 'stop' },
    { type: 'deadline.reached' },
    { type: 'fail', reason: 'store down' },
    { type: 'resumed' },
    { type: 'plan.ready', steps: one },
    { type: 'plan.ready', steps: two },
    { type: 'plan.ready', steps: stuck },
    ...(shared === null ? [] : [{ type: 'plan.ready' as const, steps: par }]),
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
        ...(shared === null
          ? []
          : [{ type: 'step.output' as const, stepId, output: 2, write: { [stepId]: 2 } }]),
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

const explore = (approval?: TeamRunInput['approval'], state?: TeamRunInput['state']) =>
  exploreMachine({
    machine: teamRunMachine,
    input: {
      runId: 'r',
      maxRounds: 2,
      maxStepRuns: 2,
      maxPlanRepairs: 1,
      ...(approval ? { approval } : {}),
      ...(state ? { state } : {}),
    },
    events,
    serialize: (s) => {
      const { round, planRepairs, steps, state, awaiting, shared } = s.context;
      const phases = state.map((x, i) => [
        s.context.steps[i]?.id,
        x.phase,
        x.runs,
        x.stale,
        x.approved,
        x.readVersion,
        x.write !== undefined,
      ]);
      return JSON.stringify([
        s.value,
        round,
        planRepairs,
        steps.length,
        phases,
        awaiting,
        shared?.version,
      ]);
    },
  });

describe('team run machine paths', () => {
  it('reaches every state and takes every transition on paths replayed on a live actor', () => {
    // Four worlds: no approval; a plan approval that fails or proceeds on timeout; and an
    // approval of step b before it runs, with shared state the steps write on.
    const runs = [
      explore(),
      explore({ plan: true, onTimeout: 'fail' }),
      explore({ plan: true, onTimeout: 'proceed' }),
      explore({ steps: ['b'] }, { notes: [] }),
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
