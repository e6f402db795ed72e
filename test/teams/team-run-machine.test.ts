import { describe, expect, it } from 'vitest';
import { driveMachine as run, step } from './machine-driver.js';

describe('the team run machine', () => {
  it('plans, runs the steps in waves by dependency, judges each and completes', () => {
    const r = run();
    expect(r.last('planner.requested')).toMatchObject({ round: 1, feedback: [] });
    r.actor.send({ type: 'plan.ready', steps: [step('a'), step('b'), step('c', ['a', 'b'])] });
    expect(r.value()).toBe('executing');
    expect(r.requested()).toEqual(['a', 'b']);
    r.actor.send({ type: 'step.output', stepId: 'a', output: 1 });
    expect(r.value()).toBe('executing');
    r.actor.send({ type: 'step.output', stepId: 'b', output: 2 });
    expect(r.value()).toBe('validating');
    expect(r.last('validator.requested').items.map((i) => i.step.id)).toEqual(['a', 'b']);
    r.actor.send({ type: 'verdict', stepId: 'a', accept: true });
    r.actor.send({ type: 'verdict', stepId: 'b', accept: true });
    expect(r.value()).toBe('executing');
    expect(r.last('step.requested').requests).toEqual([
      { step: step('c', ['a', 'b']), run: 1, feedback: [], inputs: { a: 1, b: 2 } },
    ]);
    r.actor.send({ type: 'step.output', stepId: 'c', output: 3 });
    r.actor.send({ type: 'verdict', stepId: 'c', accept: true });
    expect(r.value()).toBe('completed');
    expect(r.last('run.completed').outputs).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('runs a rejected step again with the feedback, then replans when it cannot pass', () => {
    const r = run({ maxStepRuns: 2, maxRounds: 2 });
    r.actor.send({ type: 'plan.ready', steps: [step('a')] });
    r.actor.send({ type: 'step.output', stepId: 'a', output: 'meh' });
    r.actor.send({ type: 'verdict', stepId: 'a', accept: false, feedback: 'too vague' });
    expect(r.value()).toBe('executing');
    expect(r.last('step.requested').requests[0]).toMatchObject({
      run: 2,
      feedback: ['the validator rejected your output: too vague'],
    });
    r.actor.send({ type: 'step.output', stepId: 'a', output: 'still meh' });
    r.actor.send({ type: 'verdict', stepId: 'a', accept: false, feedback: 'still vague' });
    expect(r.value()).toBe('planning');
    expect(r.last('planner.requested')).toMatchObject({ round: 2 });
    expect(r.last('planner.requested').feedback[0]).toMatch(/step a: still rejected after 2 runs/);
    // The second plan fails the same way: out of rounds, the run fails with every reason.
    r.actor.send({ type: 'plan.ready', steps: [step('a2')] });
    r.actor.send({ type: 'step.failed', stepId: 'a2', error: 'worker crashed 3 times' });
    expect(r.value()).toBe('failed');
    expect(r.last('run.failed').reason).toMatch(/no plan passed in 2 rounds: step a2: worker/);
  });

  it('repairs an output that does not fit its schema, counted apart from rejections', () => {
    const r = run({ maxStepRuns: 3 });
    r.actor.send({ type: 'plan.ready', steps: [step('a')] });
    r.actor.send({ type: 'step.invalid', stepId: 'a', issues: ['price: expected number'] });
    expect(r.value()).toBe('executing');
    expect(r.last('step.requested').requests[0]?.feedback).toEqual([
      'your output did not fit its schema: price: expected number',
    ]);
    r.actor.send({ type: 'step.output', stepId: 'a', output: { price: 1 } });
    r.actor.send({ type: 'verdict', stepId: 'a', accept: true });
    expect(r.value()).toBe('completed');
    const state = r.actor.getSnapshot().context.state[0];
    expect(state).toMatchObject({ runs: 2, repairs: 1, rejections: 0 });
  });

  it('asks the planner again after an invalid plan, and fails after too many', () => {
    const r = run({ maxPlanRepairs: 1 });
    r.actor.send({ type: 'plan.invalid', problems: ['steps[0].capability: missing'] });
    expect(r.value()).toBe('planning');
    expect(r.last('planner.requested').feedback).toEqual([
      'the plan was invalid: steps[0].capability: missing',
    ]);
    r.actor.send({ type: 'plan.invalid', problems: ['a cycle: a -> b -> a'] });
    expect(r.value()).toBe('failed');
    expect(r.last('run.failed').reason).toMatch(/2 invalid plans in a row: a cycle/);
  });

  it('ends once on cancel or deadline, with the end in its history', () => {
    const c = run();
    c.actor.send({ type: 'cancel', reason: 'user left' });
    expect(c.value()).toBe('cancelled');
    expect(c.actor.getSnapshot().context.history.at(-1)).toEqual({
      kind: 'end',
      outcome: 'cancelled',
      reason: 'user left',
    });
    const d = run();
    d.actor.send({ type: 'plan.ready', steps: [step('a')] });
    d.actor.send({ type: 'deadline.reached' });
    expect(d.value()).toBe('failed');
    expect(d.last('run.failed').reason).toBe('the run passed its deadline');
  });
});
