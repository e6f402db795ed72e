import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkOutput,
  validateOutput,
  validateOutputSync,
} from '../../src/validation/validate-output.js';

const thumbnail = z.object({ url: z.string().url(), sizes: z.array(z.number().int()) });

describe('output validated against the task schema', () => {
  it('passes any output when the task has no schema, without a Promise', async () => {
    expect(validateOutputSync(undefined, 42)).toEqual({ ok: true, value: 42 });
    expect(checkOutput(undefined, 42)).toEqual({ ok: true, value: 42 });
    await expect(validateOutput(undefined, 42)).resolves.toEqual({ ok: true, value: 42 });
  });

  it('passes valid output as the schema parsed it', async () => {
    const output = { url: 'https://x.test/a.png', sizes: [64], extra: true };
    const parsed = { url: 'https://x.test/a.png', sizes: [64] };
    expect(validateOutputSync(thumbnail, output)).toEqual({ ok: true, value: parsed });
    await expect(validateOutput(thumbnail, output)).resolves.toEqual({ ok: true, value: parsed });
  });

  it('fails invalid output with each issue and its path', async () => {
    const check = await validateOutput(thumbnail, { url: 'nope', sizes: [1, 2.5] });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.issues.map((issue) => issue.path)).toEqual([['url'], ['sizes', 1]]);
    expect(check.issues.every((issue) => typeof issue.message === 'string')).toBe(true);
  });

  it('waits for an async refinement, which the sync path leaves to the caller', async () => {
    const unique = z.string().refine(async (name) => name !== 'taken', 'name is taken');
    expect(validateOutputSync(unique, 'taken')).toBeUndefined();
    expect(checkOutput(unique, 'free')).toBeInstanceOf(Promise);
    await expect(validateOutput(unique, 'free')).resolves.toEqual({ ok: true, value: 'free' });
    await expect(validateOutput(unique, 'taken')).resolves.toEqual({
      ok: false,
      issues: [{ message: 'name is taken', path: [] }],
    });
  });

  it('unwraps { key } path segments into plain keys', async () => {
    const schema: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'hand-made',
        validate: () => ({ issues: [{ message: 'bad', path: [{ key: 'a' }, 0, { key: 'b' }] }] }),
      },
    };
    await expect(validateOutput(schema, {})).resolves.toEqual({
      ok: false,
      issues: [{ message: 'bad', path: ['a', 0, 'b'] }],
    });
  });

  it('fails the output, rather than throwing, when the schema itself throws', async () => {
    const throwing = (validate: () => never): StandardSchemaV1 => ({
      '~standard': { version: 1, vendor: 'broken', validate },
    });
    const sync = throwing(() => {
      throw new Error('boom');
    });
    expect(validateOutputSync(sync, 1)).toEqual({
      ok: false,
      issues: [{ message: 'output schema threw: boom' }],
    });
    // Hand-made: zod 4 itself leaves an unhandled rejection when an async refine throws.
    const rejecting: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'broken',
        validate: () => Promise.reject(new Error('lookup failed')),
      },
    };
    await expect(validateOutput(rejecting, 'x')).resolves.toEqual({
      ok: false,
      issues: [{ message: 'output schema threw: lookup failed' }],
    });
  });
});
