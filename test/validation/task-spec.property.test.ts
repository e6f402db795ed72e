import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RetryPolicy } from '../../machines/retry-policy.js';
import { InvalidTaskSpec, OverseerError } from '../../src/errors/index.js';
import { validateTaskSpec } from '../../src/validation/validate-task-spec.js';

const now = 1_000;
const ctx = {
  now,
  defaultRetry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } } satisfies RetryPolicy,
  newId: () => 'generated',
};

/** A field's value, and whether the rules allow it. */
interface Tagged {
  readonly value: unknown;
  readonly ok: boolean;
}
const good = (arb: fc.Arbitrary<unknown>) => arb.map((value): Tagged => ({ value, ok: true }));
const bad = (...values: unknown[]) =>
  fc.constantFrom(...values).map((value): Tagged => ({ value, ok: false }));
const either = (valid: fc.Arbitrary<unknown>, ...invalid: unknown[]) =>
  fc.oneof(good(valid), bad(...invalid));

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
// Dependencies never share the task ids' alphabet, so no spec here depends on itself.
const depName = name.map((n) => `dep:${n}`);
const policy = fc.oneof(
  fc.record({
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    backoff: fc.record({ kind: fc.constant('fixed'), delayMs: fc.nat() }),
  }),
  fc.record({
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    backoff: fc.record({
      kind: fc.constant('exponential'),
      initialDelayMs: fc.nat(),
      maxDelayMs: fc.nat(),
      jitter: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  }),
);

// In TaskSpec declaration order, which is the order problems are reported in.
const fields = {
  id: either(name, '', ' ', 'a b', 7, null),
  type: either(name, '', '  ', 0, [], undefined),
  priority: either(fc.nat(), -1, 0.5, Number.NaN, Infinity, '1', 2 ** 53),
  capabilities: either(fc.array(name), 'gpu', [''], [1], {}),
  resources: either(
    fc.dictionary(name, fc.double({ min: 0, max: 1e9, noNaN: true })),
    { gpu: -1 },
    { gpu: Number.NaN },
    [],
    'gpu',
  ),
  dependsOn: either(fc.array(depName), 'dep:a', [''], [null]),
  deadline: either(fc.integer({ min: now + 1 }), Number.NaN, -Infinity, 'soon'),
  timeoutMs: either(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), 0, -5, Infinity),
  retry: either(
    policy,
    null,
    3,
    { maxAttempts: 0, backoff: { kind: 'fixed', delayMs: 1 } },
    { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: -1 } },
    { maxAttempts: 2, backoff: { kind: 'toString' } },
    { maxAttempts: Symbol('n'), backoff: { kind: 'fixed', delayMs: 1 } },
  ),
  idempotencyKey: either(name, '', 1),
  outputSchema: either(fc.constant(z.string()), {}, { '~standard': { version: 2 } }, 'zod'),
  qos: either(name, '', false),
  metadata: either(fc.dictionary(name, fc.jsonValue()), [], new Date(0), 'meta'),
};
const order = Object.keys(fields);

describe('validateTaskSpec at the boundary of user input', () => {
  it('throws nothing but an OverseerError subclass, for any value at all', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    const plausible = fc.record(Object.fromEntries(order.map((field) => [field, anything])), {
      requiredKeys: [],
    });
    fc.assert(
      fc.property(fc.oneof(anything, plausible), (spec) => {
        try {
          validateTaskSpec(spec, ctx);
        } catch (error) {
          expect(error).toBeInstanceOf(OverseerError);
        }
      }),
    );
  });

  it('accepts a spec exactly when every field obeys the rules, else names the first that does not', () => {
    fc.assert(
      fc.property(fc.record(fields, { requiredKeys: ['type'] }), (tagged) => {
        const entries = Object.entries(tagged) as [string, Tagged][];
        const spec = Object.fromEntries(entries.map(([field, { value }]) => [field, value]));
        const offending = order.filter((field) => entries.some(([f, t]) => f === field && !t.ok));
        const attempt = () => validateTaskSpec(spec, ctx);
        if (offending.length === 0) {
          const task = attempt();
          expect(task.priority).toBeGreaterThanOrEqual(0);
          expect(task.type).toBe(spec.type);
          return;
        }
        const error = (() => {
          try {
            attempt();
          } catch (caught) {
            return caught;
          }
          throw new Error(`accepted a spec with a bad ${offending.join(', ')}`);
        })();
        expect(error).toBeInstanceOf(InvalidTaskSpec);
        const { field, problems } = error as InvalidTaskSpec;
        const within = (path: string, key: string) =>
          path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
        expect(within(field, offending[0] as string)).toBe(true);
        for (const problem of problems) {
          expect(offending.some((key) => within(problem.field, key))).toBe(true);
        }
      }),
    );
  });
});
