// The team run machine's people in the loop for named steps, its shared state, and its
// resumption from a stored snapshot.
import { describe, expect, it } from 'vitest';
import { driveMachine as run, step } from './machine-driver.js';

/** Runs `id` through an output and an accepting verdict. */
function pass(r: ReturnType<typeof run>, id: string, output: unknown = id) {
  r.actor.send({ type: 'step.output', stepId: id, output });
  r.actor.send({ type: 'verdict', stepId: id, accept: true });
}

describe('approval of named steps', () => {
  const plan = [step('search'), step('book', ['search'], 'booking')];

  it('holds a named step before it runs until a person approves, then runs it', () => {
    const r = run({ approval: { steps: ['booking'] } });
    r.actor.send({ type: 'plan.ready', steps: plan });
    expect(r.value()).toBe('executing');
    expect(r.requested()).toEqual(['search']);
    pass(r, 'search', { flight: 'LH 123' });
    expect(r.value()).toBe('awaitingApproval');
    expect(r.last('approval.requested')).toMatchObject({ kind: 'steps', steps: [plan[1]] });
    expect(r.context().history.at(-1)).toEqual({
      kind: 'approval.requested',
      round: 1,
      stepIds: ['book'],
    });
    r.actor.send({ type: 'approval', accept: true });
    expect(r.value()).toBe('executing');
    expect(r.last('step.requested').requests[0]).toMatchObject({
      step: plan[1],
      inputs: { search: { flight: 'LH 123' } },
    });
    pass(r, 'book');
    expect(r.value()).toBe('completed');
  });

  it('fails a rejected step with the person’s reason, which the planner hears', () => {
    const r = run({ approval: { steps: ['book'] } });
    r.actor.send({ type: 'plan.ready', steps: plan });
    pass(r, 'search');
    r.actor.send({ type: 'approval', accept: false, feedback: 'too expensive' });
    expect(r.value()).toBe('planning');
    expect(r.last('planner.requested').feedback).toEqual([
      'step book: a person rejected step book: too expensive',
    ]);
  });

  it('fails the run, or proceeds, when no one answers in time', () => {
    const f = run({ approval: { steps: ['book'] } });
    f.actor.send({ type: 'plan.ready', steps: plan });
    pass(f, 'search');
    f.actor.send({ type: 'approval.timeout' });
    expect(f.value()).toBe('failed');
    expect(f.last('run.failed').reason).toBe('no one approved step book in time');
    const p = run({ approval: { steps: ['book'], onTimeout: 'proceed' } });
    p.actor.send({ type: 'plan.ready', steps: plan });
    pass(p, 'search');
    p.actor.send({ type: 'approval.timeout' });
    expect(p.value()).toBe('executing');
    expect(p.requested()).toEqual(['book']);
  });
});

describe('shared state', () => {
  it('hands each run the state it reads and refuses a write on an outdated read', () => {
    const r = run({ state: { budget: 1000 } });
    r.actor.send({ type: 'plan.ready', steps: [step('a'), step('b')] });
    expect(r.last('step.requested').requests.map((q) => q.state)).toEqual([
      { version: 0, value: { budget: 1000 } },
      { version: 0, value: { budget: 1000 } },
    ]);
    r.actor.send({ type: 'step.output', stepId: 'a', output: 1, write: { budget: 600 } });
    r.actor.send({ type: 'step.output', stepId: 'b', output: 2, write: { budget: 700 } });
    r.actor.send({ type: 'verdict', stepId: 'a', accept: true });
    expect(r.context().shared).toEqual({ version: 1, value: { budget: 600 } });
    // b worked from version 0: its good output is refused, and it runs again on version 1.
    r.actor.send({ type: 'verdict', stepId: 'b', accept: true });
    expect(r.context().shared?.version).toBe(1);
    expect(r.value()).toBe('executing');
    expect(r.last('step.requested').requests).toEqual([
      expect.objectContaining({
        step: step('b'),
        run: 2,
        state: { version: 1, value: { budget: 600 } },
        feedback: [
          'the shared state changed while you worked (you read version 0, it is now 1): work from the fresh state',
        ],
      }),
    ]);
    r.actor.send({ type: 'step.output', stepId: 'b', output: 3, write: { budget: 300 } });
    r.actor.send({ type: 'verdict', stepId: 'b', accept: true });
    expect(r.value()).toBe('completed');
    expect(r.context().shared).toEqual({ version: 2, value: { budget: 300 } });
    expect(
      r.context().history.filter((e) => e.kind.startsWith('state') || e.kind === 'step.stale'),
    ).toEqual([
      { kind: 'state.write', stepId: 'a', version: 1, basedOn: 0 },
      { kind: 'step.stale', stepId: 'b', read: 0, current: 1 },
      { kind: 'state.write', stepId: 'b', version: 2, basedOn: 1 },
    ]);
  });

  it('does not count a stale run against the step’s runs', () => {
    const r = run({ state: {}, maxStepRuns: 1 });
    r.actor.send({ type: 'plan.ready', steps: [step('a'), step('b')] });
    r.actor.send({ type: 'step.output', stepId: 'a', output: 1, write: { a: 1 } });
    r.actor.send({ type: 'step.output', stepId: 'b', output: 1, write: { b: 1 } });
    r.actor.send({ type: 'verdict', stepId: 'a', accept: true });
    r.actor.send({ type: 'verdict', stepId: 'b', accept: true });
    r.actor.send({ type: 'step.output', stepId: 'b', output: 2 });
    // One run allowed, one was stale: a rejection now fails the step (not a third run).
    r.actor.send({ type: 'verdict', stepId: 'b', accept: false, feedback: 'no' });
    expect(r.value()).toBe('planning');
  });

  it('gives no state to the steps of a run without one', () => {
    const r = run();
    r.actor.send({ type: 'plan.ready', steps: [step('a')] });
    expect(r.last('step.requested').requests[0]).not.toHaveProperty('state');
  });
});

describe('resuming from a stored snapshot', () => {
  it('asks again for what each state waits for', () => {
    const first = run({ approval: { plan: true } });
    first.actor.send({ type: 'plan.ready', steps: [step('a'), step('b')] });
    const waiting = first.actor.getPersistedSnapshot();
    first.actor.stop();
    const again = run({}, JSON.parse(JSON.stringify(waiting)));
    expect(again.value()).toBe('awaitingApproval');
    again.actor.send({ type: 'resumed' });
    expect(again.last('approval.requested')).toMatchObject({ kind: 'plan', round: 1 });
    again.actor.send({ type: 'approval', accept: true });
    expect(again.requested()).toEqual(['a', 'b']);
    again.actor.send({ type: 'step.output', stepId: 'a', output: 1 });
    const running = again.actor.getPersistedSnapshot();
    const third = run({}, JSON.parse(JSON.stringify(running)));
    third.actor.send({ type: 'resumed' });
    // Only the step still running is asked for again; a's output is kept.
    expect(third.requested()).toEqual(['b']);
    third.actor.send({ type: 'step.output', stepId: 'b', output: 2 });
    third.actor.send({ type: 'resumed' });
    expect(third.last('validator.requested').items.map((i) => i.step.id)).toEqual(['a', 'b']);
  });
});
