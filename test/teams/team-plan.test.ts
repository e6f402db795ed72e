import { describe, expect, it } from 'vitest';
import {
  type PlanProblem,
  planOrder,
  planProblems,
  type TeamPlan,
  teamPlanJsonSchema,
} from '../../machines/team-plan.js';
import { InvalidPlan } from '../../src/errors/index.js';

const capabilities = new Set(['search', 'summarize', 'review']);

/** The research plan a planner might return: search twice, summarize both, review. */
const research: TeamPlan = {
  note: 'two searches in parallel, then a summary to review',
  steps: [
    { id: 'news', capability: 'search', input: { q: 'actors' } },
    { id: 'papers', capability: 'search', input: { q: 'supervision' } },
    { id: 'summary', capability: 'summarize', dependsOn: ['news', 'papers'] },
    { id: 'check', capability: 'review', dependsOn: ['summary'] },
  ],
};

const only = (problems: PlanProblem[]) => problems.map(({ path, kind }) => ({ path, kind }));

describe('planProblems', () => {
  it('finds nothing wrong with a plan whose steps exist, are offered and do not loop', () => {
    expect(planProblems(research, { capabilities, maxSteps: 4 })).toEqual([]);
  });

  it('refuses a value that is not an object', () => {
    for (const value of [null, 'plan', 3, [research]]) {
      expect(only(planProblems(value))).toEqual([{ path: '$', kind: 'not-a-plan' }]);
    }
  });

  it('requires a non-empty array of steps', () => {
    expect(planProblems({})).toEqual([
      {
        path: 'steps',
        kind: 'no-steps',
        problem: 'must be a non-empty array of steps, got undefined',
      },
    ]);
    expect(planProblems({ steps: [] })[0]?.problem).toContain('got an empty array');
    expect(only(planProblems({ steps: { id: 'a' } }))).toEqual([
      { path: 'steps', kind: 'no-steps' },
    ]);
  });

  it('names fields a plan or a step does not have, so a typo is not silently dropped', () => {
    const plan = { steps: [{ id: 'a', capability: 'search', depends_on: ['b'] }], reason: 'x' };
    expect(planProblems(plan)).toEqual([
      { path: 'reason', kind: 'unknown-field', problem: 'is not a field of a plan' },
      { path: 'steps[0].depends_on', kind: 'unknown-field', problem: 'is not a field of a step' },
    ]);
  });

  it('requires the note, when there is one, to be a string', () => {
    const plan = { ...research, note: { why: 'x' } };
    expect(only(planProblems(plan))).toEqual([{ path: 'note', kind: 'bad-note' }]);
  });

  it('refuses a step that is not an object, and ids that are blank or repeated', () => {
    const plan = {
      steps: [
        'search',
        { id: ' ', capability: 'search' },
        { id: 'a', capability: 'search' },
        { id: 'a', capability: 'review' },
      ],
    };
    expect(planProblems(plan)).toEqual([
      {
        path: 'steps[0]',
        kind: 'bad-step',
        problem: 'must be an object with id and capability, got "search"',
      },
      { path: 'steps[1].id', kind: 'bad-id', problem: 'must be a non-empty string, got " "' },
      { path: 'steps[3].id', kind: 'duplicate-id', problem: '"a" is already steps[2].id' },
    ]);
  });

  it('requires a capability, and one some worker offers, suggesting the closest', () => {
    const plan = {
      steps: [
        { id: 'a', capability: 42 },
        { id: 'b', capability: 'serach' },
        { id: 'c', capability: 'paint' },
      ],
    };
    expect(planProblems(plan, { capabilities })).toEqual([
      { path: 'steps[0].capability', kind: 'bad-capability', problem: expect.any(String) },
      {
        path: 'steps[1].capability',
        kind: 'unknown-capability',
        problem: '"serach" is not offered by any worker; did you mean "search"?',
      },
      {
        path: 'steps[2].capability',
        kind: 'unknown-capability',
        problem: '"paint" is not offered by any worker (known: "search", "summarize", "review")',
      },
    ]);
  });

  it('accepts any capability when no list of capabilities is given', () => {
    expect(planProblems({ steps: [{ id: 'a', capability: 'paint' }] })).toEqual([]);
  });

  it('refuses dependencies that are not ids, name no step, or name the step itself', () => {
    const plan = {
      steps: [
        { id: 'fetch', capability: 'search' },
        { id: 'b', capability: 'search', dependsOn: 'fetch' },
        { id: 'c', capability: 'search', dependsOn: ['fetc', 7, 'c', 'fetch'] },
      ],
    };
    expect(planProblems(plan)).toEqual([
      {
        path: 'steps[1].dependsOn',
        kind: 'bad-dependency',
        problem: 'must be an array of step ids, got "fetch"',
      },
      {
        path: 'steps[2].dependsOn[0]',
        kind: 'unknown-dependency',
        problem: '"fetc" names no step; did you mean "fetch"?',
      },
      {
        path: 'steps[2].dependsOn[1]',
        kind: 'bad-dependency',
        problem: 'must be a non-empty string, got 7',
      },
      {
        path: 'steps[2].dependsOn[2]',
        kind: 'self-dependency',
        problem: '"c" is this step: it cannot wait for itself',
      },
    ]);
  });

  it('names a dependency cycle step by step, at the dependency that leaves it', () => {
    const plan = {
      steps: [
        { id: 'start', capability: 'search' },
        { id: 'a', capability: 'search', dependsOn: ['start', 'b'] },
        { id: 'b', capability: 'search', dependsOn: ['a'] },
      ],
    };
    expect(planProblems(plan)).toEqual([
      {
        path: 'steps[1].dependsOn[1]',
        kind: 'cycle',
        problem: 'is part of a dependency cycle: a -> b -> a',
        cycle: ['a', 'b', 'a'],
      },
    ]);
  });

  it('reports each separate cycle, even one that waits on another', () => {
    const plan = {
      steps: [
        { id: 'a', capability: 'x', dependsOn: ['b'] },
        { id: 'b', capability: 'x', dependsOn: ['a'] },
        { id: 'c', capability: 'x', dependsOn: ['a', 'd'] },
        { id: 'd', capability: 'x', dependsOn: ['e'] },
        { id: 'e', capability: 'x', dependsOn: ['c'] },
      ],
    };
    expect(planProblems(plan).map((p) => p.cycle?.join(' -> '))).toEqual([
      'a -> b -> a',
      'c -> d -> e -> c',
    ]);
  });

  it('counts steps against maxSteps and still reports the rest', () => {
    const plan = { steps: [...research.steps, { id: 'x', capability: 'paint' }] };
    expect(planProblems(plan, { capabilities, maxSteps: 4 })).toEqual([
      { path: 'steps', kind: 'too-many-steps', problem: 'has 5 steps, more than the 4 allowed' },
      expect.objectContaining({ path: 'steps[4].capability', kind: 'unknown-capability' }),
    ]);
  });

  it('never throws, whatever the value', () => {
    const hostile = Object.create(null);
    hostile.steps = [{ id: Symbol('a'), capability: () => 1, dependsOn: [10n, null] }];
    expect(() => planProblems(hostile)).not.toThrow();
    expect(only(planProblems(hostile)).map((p) => p.kind)).toEqual([
      'bad-id',
      'bad-capability',
      'bad-dependency',
      'bad-dependency',
    ]);
  });
});

describe('planOrder', () => {
  it('keeps a plan already in dependency order as it is', () => {
    expect(planOrder(research).map((step) => step.id)).toEqual([
      'news',
      'papers',
      'summary',
      'check',
    ]);
  });

  it('moves the steps a step waits on to before it', () => {
    const plan: TeamPlan = {
      steps: [
        { id: 'check', capability: 'review', dependsOn: ['summary'] },
        { id: 'summary', capability: 'summarize', dependsOn: ['news', 'papers'] },
        { id: 'papers', capability: 'search' },
        { id: 'news', capability: 'search' },
      ],
    };
    const order = planOrder(plan);
    expect(order.map((step) => step.id)).toEqual(['news', 'papers', 'summary', 'check']);
    expect(order[0]).toBe(plan.steps[3]);
  });

  it('refuses a plan planProblems finds fault with, naming the problems', () => {
    const plan: TeamPlan = {
      steps: [
        { id: 'a', capability: 'x', dependsOn: ['b'] },
        { id: 'b', capability: 'x', dependsOn: ['a'] },
      ],
    };
    expect(() => planOrder(plan)).toThrow('steps[0].dependsOn[0] is part of a dependency cycle');
  });
});

describe('teamPlanJsonSchema', () => {
  it('is a draft 2020-12 schema that survives JSON, as a model adapter sends it', () => {
    expect(teamPlanJsonSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(JSON.stringify(teamPlanJsonSchema))).toEqual(teamPlanJsonSchema);
    expect(teamPlanJsonSchema.required).toEqual(['steps']);
    expect(teamPlanJsonSchema.properties.steps.items.required).toEqual(['id', 'capability']);
  });

  it('declares exactly the fields planProblems accepts', () => {
    const step = { id: 'a', capability: 'x', input: 1, dependsOn: [] };
    expect(Object.keys(teamPlanJsonSchema.properties.steps.items.properties)).toEqual(
      Object.keys(step),
    );
    expect(planProblems({ note: 'n', steps: [step] })).toEqual([]);
  });
});

describe('InvalidPlan', () => {
  it('carries the problems and lists each in its message', () => {
    const problems = planProblems({ steps: [{ id: 'a', capability: 'serach' }] }, { capabilities });
    const error = new InvalidPlan(problems);
    expect(error.code).toBe('InvalidPlan');
    expect(error.problems).toBe(problems);
    expect(error.message).toBe(
      'invalid plan, 1 problem:\n  steps[0].capability "serach" is not offered by any worker; did you mean "search"?',
    );
  });
});
