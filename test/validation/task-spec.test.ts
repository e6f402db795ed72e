import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultRetryPolicy, type RetryPolicy } from '../../machines/retry-policy.js';
import { DeadlineInPast, DependencyCycle, InvalidTaskSpec } from '../../src/errors/index.js';
import { validateTaskSpec } from '../../src/validation/validate-task-spec.js';

const fixedRetry: RetryPolicy = { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 10 } };
const ctx = { now: 1_000, defaultRetry: fixedRetry, newId: () => 'generated' };

/** The InvalidTaskSpec thrown for `spec`, or a test failure if none is. */
function refusal(spec: unknown, path?: string): InvalidTaskSpec {
  try {
    validateTaskSpec(spec, path === undefined ? ctx : { ...ctx, path });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTaskSpec);
    expect((error as InvalidTaskSpec).code).toBe('InvalidTaskSpec');
    return error as InvalidTaskSpec;
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be refused`);
}

describe('a valid spec gets every default', () => {
  it('fills in id, priority, lists, retry, qos and metadata', () => {
    expect(validateTaskSpec({ type: 'resize' }, ctx)).toEqual({
      id: 'generated',
      type: 'resize',
      input: undefined,
      priority: 0,
      capabilities: [],
      resources: {},
      dependsOn: [],
      deadline: undefined,
      timeoutMs: undefined,
      retry: fixedRetry,
      idempotencyKey: undefined,
      outputSchema: undefined,
      qos: 'default',
      metadata: {},
    });
  });

  it('keeps what the user gave, with capabilities and dependencies deduplicated', () => {
    const schema = z.object({ url: z.string() });
    const task = validateTaskSpec(
      {
        id: 'thumb-1',
        type: 'resize',
        input: { w: 64 },
        priority: 5,
        capabilities: ['image', 'gpu', 'image'],
        resources: { gpu: 1 },
        dependsOn: ['fetch-1', 'fetch-1'],
        deadline: 5_000,
        timeoutMs: 250,
        retry: defaultRetryPolicy,
        idempotencyKey: 'k-1',
        outputSchema: schema,
        qos: 'batch',
        metadata: { owner: 'ana' },
      },
      ctx,
    );
    expect(task).toMatchObject({
      id: 'thumb-1',
      input: { w: 64 },
      priority: 5,
      capabilities: ['image', 'gpu'],
      dependsOn: ['fetch-1'],
      deadline: 5_000,
      retry: defaultRetryPolicy,
      qos: 'batch',
    });
    expect(task.outputSchema).toBe(schema);
  });
});

describe('an invalid spec is refused, naming the first offending field', () => {
  it.each([
    ['a non-object spec', 42, 'spec', 'must be an object, got 42'],
    ['a missing type', {}, 'type', 'is required'],
    ['an empty type', { type: ' ' }, 'type', 'must be a non-empty string, got " "'],
    ['an empty id', { type: 'x', id: '' }, 'id', 'must be a non-empty string, got ""'],
    [
      'an id with half a character (a lone surrogate)',
      { type: 'x', id: 'a\ud800' },
      'id',
      'must be well-formed text (no lone surrogate or NUL), got "a\\ud800"',
    ],
    [
      'an idempotencyKey with a NUL',
      { type: 'x', idempotencyKey: 'k\u0000' },
      'idempotencyKey',
      'must be well-formed text (no lone surrogate or NUL), got "k\\u0000"',
    ],
    [
      'an id with whitespace',
      { type: 'x', id: 'a b' },
      'id',
      'must not contain whitespace, got "a b"',
    ],
    [
      'a negative priority',
      { type: 'x', priority: -1 },
      'priority',
      'must be a non-negative integer, got -1',
    ],
    [
      'a fractional priority',
      { type: 'x', priority: 1.5 },
      'priority',
      'must be a non-negative integer, got 1.5',
    ],
    [
      'an unsafe priority',
      { type: 'x', priority: 2 ** 53 },
      'priority',
      'must be a non-negative integer, got 9007199254740992',
    ],
    [
      'capabilities not an array',
      { type: 'x', capabilities: 'gpu' },
      'capabilities',
      'must be an array of non-empty strings, got "gpu"',
    ],
    [
      'an empty capability',
      { type: 'x', capabilities: ['gpu', ''] },
      'capabilities[1]',
      'must be a non-empty string, got ""',
    ],
    [
      'resources not an object',
      { type: 'x', resources: [1] },
      'resources',
      'must be an object of named amounts, got an array',
    ],
    [
      'a negative resource',
      { type: 'x', resources: { gpu: -1 } },
      'resources.gpu',
      'must be a finite number >= 0, got -1',
    ],
    [
      'an infinite resource',
      { type: 'x', resources: { gpu: Infinity } },
      'resources.gpu',
      'must be a finite number >= 0, got Infinity',
    ],
    [
      'dependsOn not an array',
      { type: 'x', dependsOn: 'a' },
      'dependsOn',
      'must be an array of non-empty strings, got "a"',
    ],
    [
      'an empty dependency',
      { type: 'x', dependsOn: [''] },
      'dependsOn[0]',
      'must be a non-empty string, got ""',
    ],
    [
      'a NaN deadline',
      { type: 'x', deadline: Number.NaN },
      'deadline',
      'must be a finite number (clock ms), got NaN',
    ],
    [
      'a zero timeout',
      { type: 'x', timeoutMs: 0 },
      'timeoutMs',
      'must be a finite number > 0, got 0',
    ],
    [
      'a retry that is no object',
      { type: 'x', retry: 3 },
      'retry',
      'must be a retry policy object, got 3',
    ],
    [
      'a retry of zero attempts',
      { type: 'x', retry: { ...fixedRetry, maxAttempts: 0 } },
      'retry.maxAttempts',
      'must be an integer >= 1, got 0',
    ],
    [
      'a retry of an unknown backoff',
      { type: 'x', retry: { maxAttempts: 2, backoff: { kind: 'linear' } } },
      'retry.backoff.kind',
      `must be 'fixed' or 'exponential', got "linear"`,
    ],
    [
      'a retry with a jitter above 1',
      {
        type: 'x',
        retry: {
          maxAttempts: 2,
          backoff: { kind: 'exponential', initialDelayMs: 1, maxDelayMs: 9, jitter: 2 },
        },
      },
      'retry.backoff.jitter',
      'must lie in [0, 1], got 2',
    ],
    [
      'a retry with a typo',
      { type: 'x', retry: { maxAttempts: 2, backoff: { kind: 'fixed', delay: 5 } } },
      'retry.backoff.delay',
      'is not a backoff field',
    ],
    [
      'an empty idempotencyKey',
      { type: 'x', idempotencyKey: '' },
      'idempotencyKey',
      'must be a non-empty string, got ""',
    ],
    [
      'an outputSchema that is no Standard Schema',
      { type: 'x', outputSchema: { parse() {} } },
      'outputSchema',
      'must be a Standard Schema validator (zod, valibot, arktype...)',
    ],
    ['an empty qos', { type: 'x', qos: '' }, 'qos', 'must be a non-empty string, got ""'],
    [
      'metadata that is no plain object',
      { type: 'x', metadata: new Map() },
      'metadata',
      'must be a plain object, got an object',
    ],
  ])('%s', (_story, spec, field, problem) => {
    const error = refusal(spec);
    expect(error).toMatchObject({ field, problem });
    expect(error.message).toBe(`invalid task spec: ${field} ${problem}`);
  });

  it('a misspelled field, rather than silently using the default', () => {
    const error = refusal({ type: 'x', priorty: 3 });
    expect(error).toMatchObject({ field: 'priorty', problem: 'is not a task spec field' });
  });

  it('lists every problem, the first one named by the error', () => {
    const error = refusal({ type: '', priority: -1, qos: 7 });
    expect(error.field).toBe('type');
    expect(error.problems.map((p) => p.field)).toEqual(['type', 'priority', 'qos']);
  });

  it('names fields by their place in a batch', () => {
    expect(refusal({ type: 'x', priority: -1 }, 'tasks[3]').field).toBe('tasks[3].priority');
  });
});

describe('specs that are well formed but impossible', () => {
  it('a deadline that already passed is a DeadlineInPast, not an InvalidTaskSpec', () => {
    const attempt = () => validateTaskSpec({ type: 'x', deadline: 1_000 }, ctx);
    expect(attempt).toThrow(DeadlineInPast);
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'DeadlineInPast', deadline: 1_000, now: 1_000 }),
    );
  });

  it('a task that depends on itself is a cycle of one', () => {
    const attempt = () => validateTaskSpec({ id: 'a', type: 'x', dependsOn: ['b', 'a'] }, ctx);
    expect(attempt).toThrow(DependencyCycle);
    expect(attempt).toThrow(expect.objectContaining({ cycle: ['a', 'a'] }));
  });
});
