// Generated cases for the task machine: inputs with and without timeouts and deadlines,
// retry policies (zero backoff included), dependencies and recovered attempt counts; and
// sequences of every TaskEvent, with plausible and implausible payloads, sent whatever
// state the task is in, between clock advances around its timeout and backoff.
import fc from 'fast-check';
import type { RetryPolicy } from '../../machines/retry-policy.js';
import type { TaskEvent, TaskMachineInput } from '../../machines/task.js';
import type { TaskError } from '../../machines/task-error.js';
import {
  advance,
  anyEvent,
  atOffset,
  childEvents,
  type EventArbitraries,
  steps,
} from './case-steps.js';

const DEPENDENCIES = ['d1', 'd2', 'd3'] as const;
/** Ids a dependency event may name: the ones a task may list, and one it never does. */
const NAMED = [...DEPENDENCIES, 'unlisted'] as const;

const retry: fc.Arbitrary<RetryPolicy> = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  backoff: fc.oneof(
    fc.record({
      kind: fc.constant('fixed' as const),
      delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
    }),
    fc.record(
      {
        kind: fc.constant('exponential' as const),
        initialDelayMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
        factor: fc.integer({ min: 1, max: 3 }),
        maxDelayMs: fc.integer({ min: 0, max: 1_000 }),
        jitter: fc.oneof(
          fc.constant(0),
          fc.constant(1),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
      },
      { requiredKeys: ['kind', 'initialDelayMs', 'maxDelayMs'] },
    ),
  ),
});

export const taskInput: fc.Arbitrary<TaskMachineInput> = fc.record(
  {
    taskId: fc.constant('t1'),
    retry,
    timeoutMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
    // Mostly far enough to be met, sometimes so near that the first assign is too late.
    deadline: fc.oneof(
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 100 }) },
      { weight: 3, arbitrary: fc.integer({ min: 1_000, max: 50_000 }) },
    ),
    // Duplicates included: the machine waits on each id once.
    dependsOn: fc.oneof(
      { weight: 2, arbitrary: fc.constant([]) },
      fc.array(fc.constantFrom(...DEPENDENCIES), { minLength: 1, maxLength: 3 }),
    ),
    submittedAt: fc.integer({ min: 0, max: 10 }),
    seed: fc.integer(),
    attemptsSoFar: fc.integer({ min: 0, max: 4 }),
  },
  { requiredKeys: ['taskId', 'retry', 'submittedAt', 'seed'] },
);

const taskError: fc.Arbitrary<TaskError> = fc.constantFrom<TaskError>(
  { kind: 'error', code: 'HandlerError', message: 'handler threw', details: { name: 'Error' } },
  { kind: 'error', code: 'NonRetryable', message: 'gave up' },
  { kind: 'invalid-output', code: 'InvalidOutput', message: 'bad output', details: [] },
);

const reason = fc.constantFrom('shutdown', 'agent draining', '');
const agentId = fc.constantFrom('a1', 'a2');

/** Every event a runtime sends a task; `at` is an offset that `steps` makes absolute. */
export const taskEvents: EventArbitraries<TaskEvent> = {
  'dependency.completed': fc.record({
    type: fc.constant('dependency.completed'),
    taskId: fc.constantFrom(...NAMED),
    at: atOffset,
  }),
  'dependency.failed': fc.record({
    type: fc.constant('dependency.failed'),
    taskId: fc.constantFrom(...NAMED),
    reason,
    at: atOffset,
  }),
  assign: fc.record({ type: fc.constant('assign'), agentId, at: atOffset }),
  unassign: fc.record({ type: fc.constant('unassign'), reason, at: atOffset }),
  start: fc.record({ type: fc.constant('start'), at: atOffset }),
  expire: fc.record({
    type: fc.constant('expire'),
    reason,
    dueAt: fc.integer({ min: 0, max: 5_000 }),
    predictedFinishAt: fc.integer({ min: 0, max: 5_000 }),
    at: atOffset,
  }),
  progress: fc.record(
    {
      type: fc.constant('progress'),
      progress: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(-1)),
      note: fc.constantFrom('half way', ''),
      at: atOffset,
    },
    { requiredKeys: ['type', 'progress', 'at'] },
  ),
  heartbeat: fc.record({ type: fc.constant('heartbeat'), at: atOffset }),
  complete: fc.record({
    type: fc.constant('complete'),
    output: fc.oneof(fc.constant(undefined), fc.integer(), fc.constant({ rows: [1, 2] })),
    at: atOffset,
  }),
  fail: fc.record({
    type: fc.constant('fail'),
    error: taskError,
    retryable: fc.boolean(),
    at: atOffset,
  }),
  'agent.lost': fc.record({ type: fc.constant('agent.lost'), agentId, at: atOffset }),
  cancel: fc.record(
    { type: fc.constant('cancel'), reason: fc.constantFrom('user', ''), at: atOffset },
    { requiredKeys: ['type', 'at'] },
  ),
  'deadline.reached': fc.record({ type: fc.constant('deadline.reached'), at: atOffset }),
  'retry.due': fc.record({ type: fc.constant('retry.due'), at: atOffset }),
  interrupt: fc.record({ type: fc.constant('interrupt'), reason, at: atOffset }),
  'no.capable.agent': fc.record({
    type: fc.constant('no.capable.agent'),
    capabilities: fc.subarray(['cpu', 'gpu']),
    resources: fc.constantFrom({}, { mem: 4 }),
    at: atOffset,
  }),
};

/** The events that move a task along its lifecycle come often; those that end it, rarely. */
const weights = {
  'dependency.completed': 6,
  assign: 16,
  start: 16,
  fail: 8,
  heartbeat: 3,
  progress: 3,
  'agent.lost': 3,
  interrupt: 3,
  unassign: 3,
  'retry.due': 3,
  complete: 3,
};

/** The delays a task's timers run for, to advance the clock by exactly them. */
function delaysOf(input: TaskMachineInput): number[] {
  const b = input.retry.backoff;
  const backoff = b.kind === 'fixed' ? [b.delayMs] : [b.initialDelayMs, b.maxDelayMs];
  return [...(input.timeoutMs === undefined ? [] : [input.timeoutMs]), ...backoff];
}

export const taskCase = (maxLength: number) =>
  taskInput.chain((input) =>
    steps(anyEvent(taskEvents, weights, [childEvents('work')]), advance(delaysOf(input)), {
      maxLength,
      advanceWeight: 4,
      together: fc.tuple(taskEvents.assign, taskEvents.start),
    }).map((s) => ({ input, steps: s })),
  );
