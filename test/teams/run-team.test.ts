import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runTeam, TeamRunFailed } from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

interface StepInput {
  readonly step: string;
  readonly input: unknown;
  readonly inputs: Record<string, unknown>;
  readonly feedback: readonly string[];
  readonly run: number;
}
interface PlanInput {
  readonly round: number;
  readonly feedback: readonly string[];
}

const tripPlan = {
  steps: [
    { id: 'flight', capability: 'flights', input: { to: 'Lisbon' } },
    { id: 'hotel', capability: 'hotels', input: { city: 'Lisbon' } },
    { id: 'itinerary', capability: 'writer', dependsOn: ['flight', 'hotel'] },
  ],
};

/** A team's agents: scripted planner, workers and validator, each recording its inputs. */
function team(script: {
  plan?: (input: PlanInput) => unknown;
  work?: (input: StepInput) => unknown;
  judge?: (input: { step: { id: string }; output: unknown }) => unknown;
}) {
  const seen = { plans: [] as PlanInput[], steps: [] as StepInput[] };
  const worker = (capability: string) => ({
    id: capability,
    capabilities: [capability],
    handler: (input: StepInput) => {
      seen.steps.push(input);
      return script.work ? script.work(input) : { done: input.step, from: input.inputs };
    },
  });
  const h = startSystem({
    agents: [
      {
        id: 'planner',
        capabilities: ['plan'],
        handler: (input: PlanInput) => {
          seen.plans.push(input);
          return script.plan ? script.plan(input) : tripPlan;
        },
      },
      worker('flights'),
      worker('hotels'),
      worker('writer'),
      {
        id: 'validator',
        capabilities: ['judge'],
        handler: (input: { step: { id: string }; output: unknown }) =>
          script.judge ? script.judge(input) : { verdict: 'accept' },
      },
    ],
  });
  return { ...h, seen };
}

const spec = { goal: 'a weekend in Lisbon', planner: 'plan', validator: 'judge' };

describe('runTeam', () => {
  it('plans, runs each step as a task routed by capability, judges it and completes', async () => {
    const t = team({});
    const run = runTeam(t.system, spec);
    await t.advance(10);
    const result = await run.result();
    expect(Object.keys(result.outputs).sort()).toEqual(['flight', 'hotel', 'itinerary']);
    // The last step got its dependencies' accepted outputs.
    expect(result.outputs.itinerary).toEqual({
      done: 'itinerary',
      from: { flight: { done: 'flight', from: {} }, hotel: { done: 'hotel', from: {} } },
    });
    expect(result.rounds).toBe(1);
    expect(run.state()).toBe('completed');
    // Steps, plans and verdicts are ordinary tasks.
    const types = t.of('task.submitted').map((e) => e.taskType);
    expect(types.filter((x) => x === 'team.step')).toHaveLength(3);
    expect(types.filter((x) => x === 'team.validate')).toHaveLength(3);
    expect(result.history.at(-1)).toEqual({ kind: 'end', outcome: 'completed' });
  });

  it('runs a rejected step again with the validator’s feedback in its input', async () => {
    let rejected = false;
    const t = team({
      judge: ({ step }) => {
        if (step.id === 'hotel' && !rejected) {
          rejected = true;
          return { verdict: 'reject', feedback: 'the hotel is too far from the centre' };
        }
        return { verdict: 'accept' };
      },
    });
    const run = runTeam(t.system, spec);
    await t.advance(10);
    await run.result();
    const hotelRuns = t.seen.steps.filter((s) => s.step === 'hotel');
    expect(hotelRuns.map((s) => s.run)).toEqual([1, 2]);
    expect(hotelRuns[1]?.feedback).toEqual([
      'the validator rejected your output: the hotel is too far from the centre',
    ]);
  });

  it('repairs an output that does not fit its capability’s schema (a JSON action)', async () => {
    let bad = true;
    const t = team({
      work: (input) => {
        if (input.step === 'flight' && bad) {
          bad = false;
          return { price: 'cheap' };
        }
        return { price: 120 };
      },
    });
    const run = runTeam(t.system, {
      ...spec,
      outputs: { flights: z.object({ price: z.number() }) },
    });
    await t.advance(10);
    const result = await run.result();
    expect(result.outputs.flight).toEqual({ price: 120 });
    const repair = result.history.find((e) => e.kind === 'step.repair');
    expect(repair).toMatchObject({ stepId: 'flight' });
    expect(JSON.stringify(repair)).toMatch(/price/);
    expect(t.seen.steps.filter((s) => s.step === 'flight')[1]?.feedback[0]).toMatch(
      /did not fit its schema: price/,
    );
  });

  it('fails clearly, bounded, when the validator always rejects', async () => {
    const t = team({ judge: () => ({ verdict: 'reject', feedback: 'never good enough' }) });
    const run = runTeam(t.system, { ...spec, maxRounds: 2, maxStepRuns: 2 });
    await t.advance(10);
    const error = await run.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamRunFailed);
    expect((error as TeamRunFailed).reason).toMatch(/no plan passed in 2 rounds/);
    expect((error as TeamRunFailed).reason).toMatch(
      /still rejected after 2 runs: never good enough/,
    );
    // Two plans, each step run at most twice.
    expect(t.seen.plans).toHaveLength(2);
    expect(t.seen.plans[1]?.feedback.join('\n')).toMatch(/never good enough/);
    expect((error as TeamRunFailed).history.filter((e) => e.kind === 'plan')).toHaveLength(2);
  });

  it('asks the planner again after a cyclic plan, naming the cycle', async () => {
    const cyclic = {
      steps: [
        { id: 'a', capability: 'flights', dependsOn: ['b'] },
        { id: 'b', capability: 'hotels', dependsOn: ['a'] },
      ],
    };
    const t = team({ plan: ({ feedback }) => (feedback.length === 0 ? cyclic : tripPlan) });
    const run = runTeam(t.system, spec);
    await t.advance(10);
    await run.result();
    expect(t.seen.plans[1]?.feedback.join('\n')).toMatch(/a -> b -> a|b -> a -> b/);
  });

  it('fails with the planner’s problems when it keeps returning invalid plans', async () => {
    const t = team({ plan: () => ({ steps: [{ id: 'x', capability: 'teleport' }] }) });
    const run = runTeam(t.system, { ...spec, workers: ['flights', 'hotels', 'writer'] });
    await t.advance(10);
    const error = (await run.result().catch((e: unknown) => e)) as TeamRunFailed;
    expect(error).toBeInstanceOf(TeamRunFailed);
    expect(error.reason).toMatch(/invalid plans in a row: .*teleport/);
  });

  it('re-runs a step whose worker crashed mid-step (the task’s own retry)', async () => {
    let crashed = false;
    const t = team({
      work: (input) => {
        if (input.step === 'flight' && !crashed) {
          crashed = true;
          throw new Error('worker crashed');
        }
        return { ok: input.step };
      },
    });
    const run = runTeam(t.system, spec);
    await t.advance(5_000);
    const result = await run.result();
    expect(result.outputs.flight).toEqual({ ok: 'flight' });
    expect(t.of('task.retrying')).toHaveLength(1);
  });

  it('refuses a bad spec naming the field, and cancels the run’s tasks on cancel', async () => {
    const t = team({ work: () => new Promise(() => {}) });
    expect(() => runTeam(t.system, { ...spec, planner: '' })).toThrow(/team\.planner/);
    expect(() => runTeam(t.system, { ...spec, maxRounds: 0 })).toThrow(/team\.maxRounds/);
    const run = runTeam(t.system, spec);
    await t.advance(1);
    expect(run.state()).toBe('executing');
    run.cancel('user left');
    await t.advance(1);
    const error = (await run.result().catch((e: unknown) => e)) as TeamRunFailed;
    expect(error.reason).toBe('user left');
    expect(t.of('task.cancelled').length).toBeGreaterThanOrEqual(2);
  });
});
