import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { InvalidSystemOptions } from '../../src/errors/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createSystem } from '../../src/system/create-system.js';
import { resolveOptions } from '../../src/system/resolve-options.js';
import type { SystemOptions } from '../../src/system/system-options.js';

/** The InvalidSystemOptions that `options` are refused with, or a test failure if none is. */
function refusal(options: unknown): InvalidSystemOptions {
  try {
    resolveOptions(options as SystemOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSystemOptions);
    return error as InvalidSystemOptions;
  }
  throw new Error('expected the options to be refused');
}

describe('a misspelled or unknown option is refused, not silently ignored', () => {
  it('names the unknown option and the known one it was probably meant to be', () => {
    const error = refusal({ stratgy: 'one_for_all' });
    expect(error.field).toBe('stratgy');
    expect(error.message).toBe(
      'invalid system options: stratgy is an unknown option; did you mean strategy?',
    );
  });

  it.each([
    ['agnets', 'agents'],
    ['heartbeatTimeout', 'heartbeatTimeoutMs'],
    ['HeartbeatIntervalMS', 'heartbeatIntervalMs'],
    ['retyr', 'retry'],
  ])('suggests the nearest option within two edits: %s -> %s', (typo, meant) => {
    expect(refusal({ [typo]: 1 }).problem).toBe(`is an unknown option; did you mean ${meant}?`);
  });

  it('suggests nothing when no option is near', () => {
    expect(refusal({ concurrency: 4 })).toMatchObject({
      field: 'concurrency',
      problem: 'is an unknown option',
    });
  });
});

describe('options that are not a plain object are refused', () => {
  it.each([
    ['null', null],
    ['an array', [{ strategy: 'one_for_all' }]],
    ['a Map', new Map([['strategy', 'one_for_all']])],
    ['a string', 'one_for_all'],
  ])('%s', (_story, options) => {
    expect(refusal(options)).toMatchObject({ field: 'options' });
  });
});

describe('a system-level retry policy is checked like a task spec', () => {
  it('refuses a policy without backoff, which used to crash every failing task', () => {
    expect(() => createSystem({ retry: { maxAttempts: 3 } as never })).toThrow(
      InvalidSystemOptions,
    );
    expect(refusal({ retry: { maxAttempts: 3 } })).toMatchObject({
      field: 'retry.backoff',
      problem: 'must be an object, got undefined',
    });
  });

  it.each([
    [
      'zero attempts',
      { maxAttempts: 0, backoff: { kind: 'fixed', delayMs: 1 } },
      'retry.maxAttempts',
    ],
    [
      'a misspelled field',
      { maxAttempt: 3, backoff: { kind: 'fixed', delayMs: 1 } },
      'retry.maxAttempt',
    ],
    [
      'an unknown backoff kind',
      { maxAttempts: 3, backoff: { kind: 'linear' } },
      'retry.backoff.kind',
    ],
    [
      'a negative delay',
      { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: -1 } },
      'retry.backoff.delayMs',
    ],
    ['no policy at all', 3, 'retry'],
  ])('refuses %s, naming the field under retry.', (_story, retry, field) => {
    expect(refusal({ retry }).field).toBe(field);
  });
});

describe('every option of the wrong shape is refused, naming its path', () => {
  it.each([
    [
      'a restart backoff of an unknown kind',
      { restartBackoff: { kind: 'linear' } },
      'restartBackoff.kind',
    ],
    [
      'a fixed restart backoff without its delay',
      { restartBackoff: { kind: 'fixed' } },
      'restartBackoff.delayMs',
    ],
    ['a restart backoff that is no object', { restartBackoff: 100 }, 'restartBackoff'],
    [
      'a misspelled restart backoff field',
      { restartBackoff: { kind: 'fixed', delay: 5 } },
      'restartBackoff.delay',
    ],
    ['an intensity that is no object', { intensity: 3 }, 'intensity'],
    ['an intensity that is null', { intensity: null }, 'intensity'],
    [
      'a misspelled intensity field',
      { intensity: { maxRestarts: 1, period: 10 } },
      'intensity.period',
    ],
    ['a random that is no function', { random: 0.5 }, 'random'],
    ['a newTaskId that is no function', { newTaskId: 'task' }, 'newTaskId'],
    ['a logger without warn', { logger: { ...silentLogger, warn: 'loud' } }, 'logger.warn'],
    ['a logger that is no object', { logger: console.log }, 'logger'],
    [
      'a clock without clearTimeout',
      { clock: { now: () => 0, setTimeout: () => 0 } },
      'clock.clearTimeout',
    ],
    ['a tracer without startSpan', { tracer: {} }, 'tracer.startSpan'],
    ['an unknown order', { order: 'random' }, 'order'],
    ['a fractional queue capacity', { queueCapacity: 1.5 }, 'queueCapacity'],
    ['a negative abort grace', { abortGraceMs: -1 }, 'abortGraceMs'],
  ])('%s', (_story, options, field) => {
    expect(refusal(options).field).toBe(field);
  });
});

describe('valid options resolve to their values and defaults', () => {
  it('takes an option set to undefined as its default', () => {
    // JavaScript callers (and spreads of optional settings) pass undefined for "not set".
    const unset = { retry: undefined, order: undefined, logger: undefined };
    const resolved = resolveOptions(unset as unknown as SystemOptions);
    expect(resolved.order).toBe('priority');
    expect(resolved.retry.maxAttempts).toBe(3);
  });

  it('accepts a SimulatedClock, a seeded random, a custom restart backoff and priority-lifo', () => {
    const resolved = resolveOptions({
      clock: new SimulatedClock(),
      random: () => 0.5,
      order: 'priority-lifo',
      restartBackoff: { kind: 'fixed', delayMs: 0 },
      intensity: { maxRestarts: 0, periodMs: 1 },
      retry: { maxAttempts: 1, backoff: { kind: 'exponential', initialDelayMs: 1, maxDelayMs: 1 } },
      retainFinished: Number.POSITIVE_INFINITY,
    });
    expect(resolved).toMatchObject({ order: 'priority-lifo', restartBackoff: { delayMs: 0 } });
  });
});
