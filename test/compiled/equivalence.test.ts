// Equivalence as a property: for generated inputs and step sequences, the compiled
// interpreter and XState show the same value, context, status, output, error, emitted
// events, pending timers, observed snapshots and events delivered after the end, after
// every step: on the task, agent and agent limiter machines, and on one using every
// supported feature.
// The seed is fixed (test/support/fast-check-seed.ts; FC_SEED replays another, FC_RUNS
// widens the run) and fast-check prints it with the shrunk counterexample. Mutated
// machines show the check can fail, and fails on the field that differs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emit } from 'xstate';
import { agentMachine } from '../../machines/agent.js';
import { agentLimiterMachine } from '../../machines/agent-limiter.js';
import { taskMachine } from '../../machines/task.js';
import { agentCase } from './agent-cases.js';
import { agentLimiterCase } from './agent-limiter-cases.js';
import {
  assertEquivalent,
  type DifferentialCase,
  describeMismatch,
  runDifferential,
} from './differential.js';
import { featureCase, featureMachine } from './feature-cases.js';
import { taskCase } from './task-cases.js';

const runs = Number(process.env.FC_RUNS ?? 200);
const MAX_STEPS = 30;

describe('the compiled interpreter is equivalent to XState', () => {
  it('on the task machine, for any input and sequence of events and clock advances', () => {
    fc.assert(
      fc.property(taskCase(MAX_STEPS), ({ input, steps }) =>
        assertEquivalent({ machine: taskMachine, input, steps, id: 'task:t1' }),
      ),
      { numRuns: runs },
    );
  });

  it('on the agent machine, for any input and sequence of events and clock advances', () => {
    fc.assert(
      fc.property(agentCase(MAX_STEPS), ({ input, steps }) =>
        assertEquivalent({ machine: agentMachine, input, steps, id: 'agent:a1' }),
      ),
      { numRuns: runs },
    );
  });

  it('on the agent limiter machine, for any input and sequence of attempts, resets and advances', () => {
    fc.assert(
      fc.property(agentLimiterCase(MAX_STEPS), ({ input, steps }) =>
        assertEquivalent({ machine: agentLimiterMachine, input, steps, id: 'limiter:a1' }),
      ),
      { numRuns: runs },
    );
  });

  it('on a machine using every supported feature, for any sequence of events and advances', () => {
    fc.assert(
      fc.property(featureCase(MAX_STEPS), ({ input, steps }) =>
        assertEquivalent({ machine: featureMachine, input, steps }),
      ),
      { numRuns: runs },
    );
  });
});

const input = {
  taskId: 't1',
  retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 100 } },
  timeoutMs: 50,
  submittedAt: 0,
  seed: 7,
} as const;
const failure = { kind: 'error', code: 'HandlerError', message: 'threw' } as const;
const aRetry = [
  { send: { type: 'assign', agentId: 'a1', at: 1 } },
  { send: { type: 'start', at: 2 } },
  { send: { type: 'fail', error: failure, retryable: true, at: 3 } },
  { advance: 100 },
] as const;

/** A task machine whose compiled side differs from the XState side, and the field it shows. */
const mutants = [
  {
    name: 'a guard that never allows a retry',
    compiled: taskMachine.provide({ guards: { attemptsLeft: () => false } }),
    field: 'value',
  },
  {
    name: 'a lifecycle event emitted with another payload',
    compiled: taskMachine.provide({
      actions: { emitReady: emit({ type: 'task.ready', taskId: 't1', attempt: -1, at: 0 }) },
    }),
    field: 'emitted',
  },
  {
    name: 'a backoff one ms longer',
    compiled: taskMachine.provide({
      delays: { retryBackoff: ({ context }) => context.retryDelayMs + 1 },
    }),
    field: 'timers',
  },
] as const;

describe('the equivalence check can fail', () => {
  for (const mutant of mutants) {
    it(`reports ${mutant.field} for ${mutant.name}, on a known sequence`, () => {
      const c: DifferentialCase = {
        machine: taskMachine,
        compiled: mutant.compiled,
        input,
        steps: aRetry,
      };
      const mismatch = runDifferential(c);
      expect(mismatch?.fields).toContain(mutant.field);
      expect(describeMismatch(mismatch as NonNullable<typeof mismatch>)).toContain(
        `differing fields: ${mutant.field}`,
      );
    });

    it(`reports ${mutant.field} for ${mutant.name}, as a property counterexample`, () => {
      const details = fc.check(
        fc.property(taskCase(MAX_STEPS), ({ input, steps }) =>
          assertEquivalent({ machine: taskMachine, compiled: mutant.compiled, input, steps }),
        ),
        { numRuns: runs },
      );
      expect(details.failed).toBe(true);
      const [counterexample] = details.counterexample ?? [];
      expect(counterexample).toBeDefined();
      const mismatch = runDifferential({
        machine: taskMachine,
        compiled: mutant.compiled,
        ...(counterexample as NonNullable<typeof counterexample>),
      });
      expect(mismatch?.fields).toContain(mutant.field);
      const message = String((details.errorInstance as Error | undefined)?.message);
      expect(message).toContain('CompiledActor differs from XState');
      expect(message).toMatch(new RegExp(`differing fields: .*\\b${mutant.field}\\b`));
    });
  }
});
