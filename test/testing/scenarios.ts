// fast-check arbitraries for whole simulation scenarios: an agent pool, a workload with a
// dependency DAG, and fault rates. Everything is small so shrinking ends on a scenario a
// person can read: a few agents, a few tasks, one or two faults.

import type { StandardSchemaV1 } from '@standard-schema/spec';
import fc from 'fast-check';
import type { TaskSpec } from '../../src/index.js';
import type { SimAgent, SimulationOptions } from '../../src/testing/index.js';

const CAPS = ['cpu', 'gpu', 'io'] as const;

/** A Standard Schema that accepts any JSON value, so the `invalid-output` fault (a symbol) fails it. */
const jsonOutput: StandardSchemaV1 = {
  '~standard': {
    version: 1,
    vendor: 'overseer-test',
    validate: (value) =>
      typeof value === 'symbol' ? { issues: [{ message: 'output is not JSON' }] } : { value },
  },
};

const agent = (i: number) =>
  fc
    .record({
      capabilities: fc.subarray([...CAPS], { minLength: 1 }),
      concurrency: fc.integer({ min: 1, max: 2 }),
      mem: fc.integer({ min: 2, max: 8 }),
      min: fc.integer({ min: 1, max: 20 }),
      extra: fc.integer({ min: 0, max: 60 }),
    })
    .map(
      ({ capabilities, concurrency, mem, min, extra }): SimAgent => ({
        id: `a${i}`,
        capabilities,
        concurrency,
        resources: { mem },
        workMs: { min, max: min + extra },
      }),
    );

const task = (i: number) =>
  fc
    .record(
      {
        priority: fc.integer({ min: 0, max: 3 }),
        capabilities: fc.subarray([...CAPS], { maxLength: 2 }),
        mem: fc.integer({ min: 0, max: 4 }),
        deps: fc.subarray(
          Array.from({ length: i }, (_, k) => `w${k}`),
          { maxLength: Math.min(2, i) },
        ),
        deadline: fc.option(fc.integer({ min: 20, max: 600 }), { nil: undefined }),
        timeoutMs: fc.option(fc.integer({ min: 40, max: 300 }), { nil: undefined }),
        maxAttempts: fc.integer({ min: 1, max: 3 }),
        delayMs: fc.integer({ min: 0, max: 40 }),
      },
      { requiredKeys: ['priority', 'capabilities', 'mem', 'deps', 'maxAttempts', 'delayMs'] },
    )
    .map(
      (t): TaskSpec => ({
        id: `w${i}`,
        type: 'work',
        priority: t.priority,
        capabilities: t.capabilities,
        resources: { mem: t.mem },
        dependsOn: t.deps,
        ...(t.deadline === undefined ? {} : { deadline: t.deadline }),
        ...(t.timeoutMs === undefined ? {} : { timeoutMs: t.timeoutMs }),
        retry: { maxAttempts: t.maxAttempts, backoff: { kind: 'fixed', delayMs: t.delayMs } },
        outputSchema: jsonOutput,
      }),
    );

const rate = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.15, noNaN: true }));

export const scenario: fc.Arbitrary<SimulationOptions> = fc
  .record({
    seed: fc.integer(),
    agents: fc
      .integer({ min: 1, max: 4 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => agent(i)))),
    tasks: fc
      .integer({ min: 1, max: 12 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => task(i)))),
    rates: fc.record({
      throw: rate,
      hang: rate,
      silent: rate,
      crash: rate,
      slow: rate,
      'invalid-output': rate,
      'throw-fatal': rate,
      late: rate,
    }),
    cancel: fc.option(fc.record({ atMs: fc.integer({ min: 0, max: 200 }), task: fc.nat() }), {
      nil: undefined,
    }),
    leave: fc.option(fc.record({ atMs: fc.integer({ min: 0, max: 200 }), agent: fc.nat() }), {
      nil: undefined,
    }),
    join: fc.option(fc.record({ atMs: fc.integer({ min: 0, max: 200 }), spec: agent(9) }), {
      nil: undefined,
    }),
  })
  .map(({ seed, agents, tasks, rates, cancel, leave, join }) => ({
    seed,
    agents,
    tasks,
    faults: {
      rates,
      scheduled: [
        ...(cancel
          ? [
              {
                atMs: cancel.atMs,
                kind: 'cancel' as const,
                taskId: `w${cancel.task % tasks.length}`,
              },
            ]
          : []),
        ...(leave
          ? [
              {
                atMs: leave.atMs,
                kind: 'leave' as const,
                agentId: `a${leave.agent % agents.length}`,
              },
            ]
          : []),
        ...(join ? [{ atMs: join.atMs, kind: 'join' as const, agent: join.spec }] : []),
      ],
    },
    untilMs: 60_000,
    system: {
      heartbeatTimeoutMs: 200,
      heartbeatIntervalMs: 50,
      abortGraceMs: 100,
      intensity: { maxRestarts: 1_000, periodMs: 1_000 },
      restartBackoff: { kind: 'fixed' as const, delayMs: 5 },
    },
  }));

/** Scenarios per property: 200 in CI, more with FC_RUNS for long runs. */
export const runs = Number(process.env.FC_RUNS ?? 200);
