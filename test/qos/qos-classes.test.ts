import { describe, expect, it } from 'vitest';
import { admissionOf, degradationChain, type QosOptions } from '../../machines/qos-classes.js';
import { createSystem, InvalidSystemOptions } from '../../src/index.js';

const options: QosOptions = {
  classes: {
    interactive: { sloMs: 3_000, weight: 6, queueCap: 2, overload: { degradeTo: 'standard' } },
    standard: { sloMs: 20_000, weight: 3, queueCap: 1, overload: { degradeTo: 'batch' } },
    batch: { sloMs: 120_000, queueCap: 1 },
    open: { sloMs: 1_000 },
  },
  default: 'standard',
};

describe('QoS class admission (machines/qos-classes.ts)', () => {
  it('admits to the class asked for while it has room, and to a class without a cap always', () => {
    expect(admissionOf(options, 'interactive', () => undefined)).toEqual({
      admitted: true,
      qos: 'interactive',
    });
    expect(admissionOf(options, 'nameless', () => 'queue-cap')).toEqual({
      admitted: true,
      qos: 'nameless',
    });
  });

  it('degrades a refusing class down its chain to the first that takes it, and refuses at a refusing end', () => {
    const full = new Set(['interactive']);
    const refusal = (name: string) => (full.has(name) ? ('queue-cap' as const) : undefined);
    expect(admissionOf(options, 'interactive', refusal)).toEqual({
      admitted: true,
      qos: 'standard',
    });
    full.add('standard');
    expect(admissionOf(options, 'interactive', refusal)).toEqual({ admitted: true, qos: 'batch' });
    expect(admissionOf(options, 'interactive', () => 'predicted-late')).toEqual({
      admitted: false,
      full: 'batch',
      reason: 'predicted-late',
      wait: false,
    });
  });

  it('asks a delaying class to wait instead of refusing', () => {
    const delaying: QosOptions = {
      classes: { a: { sloMs: 10, overload: 'delay' } },
      default: 'a',
    };
    expect(admissionOf(delaying, 'a', () => 'shedding')).toEqual({
      admitted: false,
      full: 'a',
      reason: 'shedding',
      wait: true,
    });
  });

  it('names the chain of degradations, stopping where it would repeat', () => {
    expect(degradationChain(options, 'interactive')).toEqual(['interactive', 'standard', 'batch']);
    const circle: QosOptions = {
      classes: {
        a: { sloMs: 1, overload: { degradeTo: 'b' } },
        b: { sloMs: 1, overload: { degradeTo: 'a' } },
      },
      default: 'a',
    };
    expect(degradationChain(circle, 'a')).toEqual(['a', 'b', 'a']);
  });
});

describe('the qos option of createSystem', () => {
  const refused = (qos: unknown) => {
    try {
      createSystem({ qos: qos as QosOptions });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSystemOptions);
      return (error as InvalidSystemOptions).message;
    }
    throw new Error('accepted');
  };

  it('accepts classes with their SLOs, weights, caps and policies', () => {
    expect(() => createSystem({ qos: options })).not.toThrow();
  });

  it('names the field of each mistake', () => {
    expect(refused({ classes: {}, default: 'x' })).toMatch(/qos\.classes.*at least one class/);
    expect(refused({ classes: { a: { weight: 1 } }, default: 'a' })).toMatch(
      /qos\.classes\.a\.sloMs.*required/,
    );
    expect(refused({ classes: { a: { sloMs: -1 } }, default: 'a' })).toMatch(
      /qos\.classes\.a\.sloMs/,
    );
    expect(refused({ classes: { a: { sloMs: 1, queueCap: 0 } }, default: 'a' })).toMatch(
      /qos\.classes\.a\.queueCap/,
    );
    expect(refused({ classes: { a: { sloMs: 1, wieght: 2 } }, default: 'a' })).toMatch(
      /qos\.classes\.a\.wieght/,
    );
    expect(refused({ classes: { a: { sloMs: 1 } }, default: 'b' })).toMatch(/qos\.default.*a/);
    expect(
      refused({ classes: { a: { sloMs: 1, overload: { degradeTo: 'z' } } }, default: 'a' }),
    ).toMatch(/qos\.classes\.a\.overload\.degradeTo/);
    expect(refused({ classes: { a: { sloMs: 1, overload: 'drop' } }, default: 'a' })).toMatch(
      /qos\.classes\.a\.overload/,
    );
    expect(
      refused({
        classes: {
          a: { sloMs: 1, overload: { degradeTo: 'b' } },
          b: { sloMs: 1, overload: { degradeTo: 'a' } },
        },
        default: 'a',
      }),
    ).toMatch(/circle: a -> b -> a/);
  });
});
