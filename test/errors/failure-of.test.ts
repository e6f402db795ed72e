import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAILURE_CODES } from '../../machines/task-error.js';
import { failureOf, isRetryable } from '../../src/errors/failure-of.js';
import {
  AgentCrash,
  NonRetryableError,
  TaskCancelled,
  UnknownTask,
} from '../../src/errors/index.js';

describe('a handler that throws an Error', () => {
  it('fails with HandlerError, keeping the error name in details', () => {
    expect(failureOf(new TypeError('x is not a function'))).toEqual({
      kind: 'error',
      code: 'HandlerError',
      message: 'x is not a function',
      details: { name: 'TypeError' },
    });
  });

  it("keeps a Node error's string code (ECONNRESET) next to its name", () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(failureOf(reset)).toMatchObject({
      code: 'HandlerError',
      details: { name: 'Error', code: 'ECONNRESET' },
    });
  });

  it('keeps the code of an OverseerError when it is a failure code', () => {
    expect(failureOf(new NonRetryableError('card declined'))).toEqual({
      kind: 'error',
      code: 'NonRetryable',
      message: 'card declined',
    });
    expect(failureOf(new AgentCrash('connection lost')).code).toBe('AgentCrash');
    expect(failureOf(new TaskCancelled('t', 'stop')).code).toBe('TaskCancelled');
  });

  it('turns an OverseerError whose code is no failure code into a HandlerError', () => {
    expect(failureOf(new UnknownTask('ghost'))).toMatchObject({
      code: 'HandlerError',
      message: 'no task with id ghost',
      details: { name: 'UnknownTask', code: 'UnknownTask' },
    });
  });
});

describe('a handler that throws something that is not an Error', () => {
  it('keeps an object as JSON in the message, not [object Object], and the value in details', () => {
    const thrown = { reason: 'quota', left: [0, 1] };
    const failure = failureOf(thrown);
    expect(failure).toEqual({
      kind: 'error',
      code: 'HandlerError',
      message: '{"left":[0,1],"reason":"quota"}',
      details: { value: { reason: 'quota', left: [0, 1] } },
    });
    thrown.reason = 'changed later';
    expect(failure.details).toEqual({ value: { reason: 'quota', left: [0, 1] } });
  });

  it('keeps a string as it is', () => {
    expect(failureOf('boom')).toEqual({
      kind: 'error',
      code: 'HandlerError',
      message: 'boom',
      details: { value: 'boom' },
    });
  });

  it.each([
    ['undefined', undefined, 'undefined'],
    ['a bigint', 10n, '10'],
    ['a Date', new Date(0), '"1970-01-01T00:00:00.000Z"'],
    ['a Map', new Map([['a', 1]]), '{}'],
    ['a function', () => 1, '() => 1'],
  ])('leaves out details for %s, which JSON cannot give back', (_story, thrown, message) => {
    const failure = failureOf(thrown);
    expect(failure).toEqual({ kind: 'error', code: 'HandlerError', message });
  });

  it('survives a circular value and a throwing getter', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(failureOf(circular)).toEqual({
      kind: 'error',
      code: 'HandlerError',
      message: '{"name":"loop","self":"[Circular]"}',
    });
    const hostile = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    expect(failureOf(hostile)).toEqual({
      kind: 'error',
      code: 'HandlerError',
      message: '[object Object]',
    });
  });
});

describe('failureOf at the boundary of handler code', () => {
  it('never throws, always gives a failure code, and its result survives JSON unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ withNullPrototype: true }), fc.string()), (thrown) => {
        const failure = failureOf(thrown);
        expect(FAILURE_CODES).toContain(failure.code);
        expect(JSON.parse(JSON.stringify(failure))).toEqual(failure);
      }),
    );
  });
});

describe('isRetryable', () => {
  it('is false for NonRetryableError only', () => {
    expect(isRetryable(new NonRetryableError('no'))).toBe(false);
    for (const thrown of [new Error('e'), new AgentCrash('c'), 'text', undefined])
      expect(isRetryable(thrown)).toBe(true);
  });
});
