import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NonRetryableError, TaskFailed } from '../../src/index.js';
import { deferred, settle, startSystem } from '../support/system-harness.js';

describe('retries and timeouts', () => {
  it('retries with exponential backoff to the limit, then fails with the last error', async () => {
    const { system, advance, of, clock } = startSystem({
      agents: [
        {
          id: 'flaky',
          handler: async () => {
            throw new Error('storage unavailable');
          },
        },
      ],
      retry: {
        maxAttempts: 3,
        backoff: { kind: 'exponential', initialDelayMs: 100, factor: 2, maxDelayMs: 1_000 },
      },
    });
    const handle = await system.submit({ type: 'upload' });
    const outcome = handle.result().catch((e: unknown) => e);
    await settle();
    await advance(99);
    expect(of('task.started').map((e) => e.at)).toEqual([0]);
    await advance(1);
    expect(of('task.started').map((e) => e.at)).toEqual([0, 100]);
    await advance(200);
    expect(of('task.started').map((e) => e.at)).toEqual([0, 100, 300]);
    const error = await outcome;
    expect(error).toBeInstanceOf(TaskFailed);
    expect(error).toMatchObject({
      attempts: 3,
      error: { kind: 'error', message: 'storage unavailable' },
    });
    expect(of('task.retrying').map((e) => e.retryAt)).toEqual([100, 300]);
    expect(system.task(handle.id)).toMatchObject({ state: 'failed', attempts: 3 });
    expect(clock.now()).toBe(300);
  });

  it('does not retry a NonRetryableError', async () => {
    const { system } = startSystem({
      agents: [
        {
          id: 'strict',
          handler: async () => {
            throw new NonRetryableError('bad input');
          },
        },
      ],
    });
    const handle = await system.submit({ type: 'parse' });
    await expect(handle.result()).rejects.toMatchObject({
      attempts: 1,
      error: { code: 'NonRetryable' },
    });
  });

  it('aborts the handler signal when the attempt times out, and counts it as a failed attempt', async () => {
    const aborted: unknown[] = [];
    const { system, advance, of } = startSystem({
      agents: [
        {
          id: 'slow',
          handler: (_input, ctx) =>
            new Promise((_, reject) =>
              ctx.signal.addEventListener('abort', () => {
                aborted.push(ctx.signal.reason);
                reject(ctx.signal.reason);
              }),
            ),
        },
      ],
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 50 } },
    });
    const handle = await system.submit({ type: 'crawl', timeoutMs: 1_000 });
    await advance(999);
    expect(aborted).toEqual([]);
    await advance(1);
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ code: 'AttemptAborted', why: 'timeout' });
    expect(of('task.retrying')[0]?.error).toMatchObject({ kind: 'timeout', code: 'TaskTimedOut' });
    await advance(1_050);
    await expect(handle.result()).rejects.toMatchObject({
      attempts: 2,
      error: { kind: 'timeout' },
    });
  });

  it('retries output that fails its schema, then fails with the validation issues', async () => {
    const { system, advance } = startSystem({
      agents: [{ id: 'sloppy', handler: async () => ({ width: 'wide' }) }],
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 10 } },
    });
    const handle = await system.submit({
      type: 'measure',
      outputSchema: z.object({ width: z.number() }),
    });
    await settle();
    await advance(10);
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toMatchObject({
      attempts: 2,
      error: { kind: 'invalid-output', code: 'InvalidOutput' },
    });
    const issues = (error as TaskFailed).error.details as { issues: { path?: unknown[] }[] };
    expect(issues.issues[0]?.path).toEqual(['width']);
  });

  it('accepts output that passes its schema', async () => {
    const { system } = startSystem({
      agents: [{ id: 'neat', handler: async () => ({ width: 3 }) }],
    });
    const handle = await system.submit({
      type: 'measure',
      outputSchema: z.object({ width: z.number() }),
    });
    await expect(handle.result()).resolves.toEqual({ width: 3 });
  });

  it('reports progress while running', async () => {
    const gate = deferred();
    const { system, of } = startSystem({
      agents: [
        {
          id: 'p',
          handler: async (_i, ctx) => {
            ctx.progress(0.5, 'half');
            await gate.promise;
            return 'done';
          },
        },
      ],
    });
    const handle = await system.submit({ type: 'work' });
    expect(system.task(handle.id).progress).toBe(0.5);
    expect(of('task.progress')).toMatchObject([{ progress: 0.5, note: 'half', attempt: 1 }]);
    gate.resolve();
    await expect(handle.result()).resolves.toBe('done');
  });
});
