import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSimulation, simulate } from '../../src/testing/index.js';
import { runs, scenario } from './scenarios.js';

const holds = (invariant: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 10 | 11) =>
  fc.assert(
    fc.asyncProperty(scenario, async (options) => {
      const result = await simulate(options);
      expect(checkSimulation(result, options, [invariant])).toEqual([]);
    }),
    { numRuns: runs },
  );

describe('invariants under random workloads and fault schedules', () => {
  it('1: no task is lost: every accepted task ends exactly once', () => holds(1), 120_000);
  it(
    '2: a task runs on one agent at a time, one with its capabilities, a slot and resources',
    () => holds(2),
    120_000,
  );
  it('3: attempts never exceed the retry policy and backoff is respected', () => holds(3), 120_000);
  it(
    '4: under strict priority no ready task waits behind a lower one the same agent took',
    () => holds(4),
    120_000,
  );
  it(
    '5: a task starts only after its dependencies completed; their failure fails it by name',
    () => holds(5),
    120_000,
  );
  it('6: a task never starts after its deadline', () => holds(6), 120_000);
  it(
    '7: restarts within the period never exceed the intensity without escalation',
    () => holds(7),
    120_000,
  );
  it("8: a failed agent's tasks are rescheduled at once", () => holds(8), 120_000);
  it('10: every refused submission is a typed error', () => holds(10), 120_000);
  it(
    '11: no ready task waits while a fitting agent sits idle, beyond one tick',
    () => holds(11),
    120_000,
  );

  it('the same seed and workload replay to an identical history', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (options) => {
        const [a, b] = [await simulate(options), await simulate(options)];
        expect(JSON.stringify(b.history)).toBe(JSON.stringify(a.history));
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
