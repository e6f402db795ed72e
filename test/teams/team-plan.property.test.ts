// Plans from random dependency graphs: acyclic ones are valid and ordered dependencies
// first; with a cycle injected, the cycle is found and is a real one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PlanStep, planOrder, planProblems, type TeamPlan } from '../../machines/team-plan.js';

const CAPABILITIES = ['search', 'summarize', 'review'];
const id = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim().length > 0);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * An acyclic plan: step i may depend only on steps made before it, then the steps are listed
 * in a random order, so the plan's order is seldom the dependency order.
 */
const dagPlan: fc.Arbitrary<TeamPlan> = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc
    .record({
      ids: fc.uniqueArray(id, { minLength: n, maxLength: n }),
      deps: fc.tuple(...range(n).map((i) => fc.subarray(range(i)))),
      listed: fc.shuffledSubarray(range(n), { minLength: n, maxLength: n }),
      capabilities: fc.array(fc.constantFrom(...CAPABILITIES), { minLength: n, maxLength: n }),
    })
    .map(({ ids, deps, listed, capabilities }) => ({
      steps: listed.map((i): PlanStep => {
        const dependsOn = (deps[i] ?? []).map((j) => ids[j] as string);
        const step = { id: ids[i] as string, capability: capabilities[i] as string };
        return dependsOn.length > 0 ? { ...step, dependsOn } : step;
      }),
    })),
);

/** A plan with at least two steps and some of them, in a random order, made a loop. */
const cyclicPlan = dagPlan
  .filter((plan) => plan.steps.length >= 2)
  .chain((plan) =>
    fc
      .shuffledSubarray(range(plan.steps.length), { minLength: 2 })
      .map((loop) => ({ plan: withLoop(plan, loop), loop })),
  );

/** Each step of `loop` (by position) also waits on the next one, the last on the first. */
function withLoop(plan: TeamPlan, loop: readonly number[]): TeamPlan {
  const steps = plan.steps.map((step, i) => {
    const at = loop.indexOf(i);
    if (at < 0) return step;
    const next = plan.steps[loop[(at + 1) % loop.length] as number]?.id as string;
    return { ...step, dependsOn: [...(step.dependsOn ?? []), next] };
  });
  return { steps };
}

const dependsOn = (plan: TeamPlan, id: string) =>
  plan.steps.find((step) => step.id === id)?.dependsOn ?? [];

describe('plans from random dependency graphs', () => {
  it('an acyclic plan has no problems, and planOrder lists every step after its dependencies', () => {
    fc.assert(
      fc.property(dagPlan, (plan) => {
        const options = { capabilities: new Set(CAPABILITIES), maxSteps: plan.steps.length };
        expect(planProblems(plan, options)).toEqual([]);
        const order = planOrder(plan);
        expect([...order].sort(byId)).toEqual([...plan.steps].sort(byId));
        const position = new Map(order.map((step, i) => [step.id, i]));
        for (const [i, step] of order.entries()) {
          for (const dep of step.dependsOn ?? []) expect(position.get(dep)).toBeLessThan(i);
        }
        // An ordered plan is its own order.
        expect(planOrder({ steps: order })).toEqual(order);
      }),
    );
  });

  it('a plan with a loop injected reports a cycle, and every cycle it reports is real', () => {
    fc.assert(
      fc.property(cyclicPlan, ({ plan }) => {
        const problems = planProblems(plan);
        expect(problems.length).toBeGreaterThan(0);
        for (const problem of problems) {
          expect(problem.kind).toBe('cycle');
          const cycle = problem.cycle ?? [];
          expect(cycle.length).toBeGreaterThanOrEqual(3);
          expect(cycle.at(-1)).toBe(cycle[0]);
          for (let i = 0; i + 1 < cycle.length; i++) {
            expect(dependsOn(plan, cycle[i] as string)).toContain(cycle[i + 1]);
          }
          expect(problem.problem).toContain(cycle.join(' -> '));
        }
        expect(() => planOrder(plan)).toThrow('dependency cycle');
      }),
    );
  });
});

function byId(a: PlanStep, b: PlanStep): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
