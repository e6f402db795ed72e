// How one run of a tool ends, on the system clock: within its timeoutMs or aborted with
// ToolTimedOut; retried within its retry policy after a failure; and aborted with the
// attempt that made the call, the tool handler's signal firing with the attempt's reason.
import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { z } from 'zod';
import {
  AttemptAborted,
  defineTool,
  type HandlerContext,
  NonRetryableError,
  type ToolCalls,
  type ToolDeclaration,
  ToolTimedOut,
} from '../../src/index.js';
import { settle, startSystem } from '../support/system-harness.js';

const sleep = (clock: SimulatedClock, ms: number) =>
  new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

/** A system whose task calls `fetch` once and returns what the call settled to. */
function fetchSystem(make: (clock: () => SimulatedClock) => Partial<ToolDeclaration>) {
  let clock: SimulatedClock | undefined;
  const fetch = defineTool({
    input: z.string(),
    output: z.string(),
    handler: (url) => url,
    ...make(() => clock as SimulatedClock),
  });
  const harness = startSystem({
    tools: { fetch },
    agents: [
      {
        id: 'a',
        tools: ['fetch'],
        handler: (url: string, ctx: HandlerContext<ToolCalls<{ fetch: typeof fetch }>>) =>
          ctx.tools.fetch(url).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          ),
      },
    ],
  });
  clock = harness.clock;
  const run = async (ms: number, id = 't1') => {
    const handle = await harness.system.submit({ id, type: 'fetch', input: 'u' });
    await settle();
    await harness.advance(ms);
    return handle;
  };
  return { ...harness, run };
}

describe('timeout', () => {
  it('aborts a run that outlives timeoutMs: the call fails with ToolTimedOut, the tool’s signal fires with it', async () => {
    let reason: unknown;
    const { run, advance, of } = fetchSystem(() => ({
      timeoutMs: 1_000,
      handler: (_url, { signal }) =>
        new Promise<string>(() => {
          signal.addEventListener('abort', () => (reason = signal.reason));
        }),
    }));
    const handle = await run(999);
    expect(reason).toBeUndefined();
    expect(of('tool.called')).toEqual([]);
    await advance(1);
    expect(reason).toBeInstanceOf(ToolTimedOut);
    const { error } = (await handle.result()) as { error: ToolTimedOut };
    expect(error).toBe(reason);
    expect(error.message).toBe('tool fetch did not finish within 1000 ms');
    expect(of('tool.called')[0]).toMatchObject({
      outcome: 'timeout',
      ms: 1_000,
      error: { code: 'ToolTimedOut' },
    });
  });

  it('defaults to 30 s', async () => {
    const { run, advance, of } = fetchSystem(() => ({
      handler: () => new Promise<string>(() => {}),
    }));
    await run(29_999);
    expect(of('tool.called')).toEqual([]);
    await advance(1);
    expect(of('tool.called')[0]).toMatchObject({ outcome: 'timeout', ms: 30_000 });
  });
});

describe('retry', () => {
  it('runs the handler again after a failure, with the policy’s backoff, until it succeeds', async () => {
    const runs: { run: number; at: number }[] = [];
    const { run, of, clock } = fetchSystem((now) => ({
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 50 } },
      handler: (url, call) => {
        runs.push({ run: call.run, at: now().now() });
        if (call.run < 3) throw new Error(`flaky ${call.run}`);
        return `${url}!`;
      },
    }));
    const handle = await run(1_000);
    await expect(handle.result()).resolves.toEqual({ value: 'u!' });
    expect(runs).toEqual([
      { run: 1, at: 0 },
      { run: 2, at: 50 },
      { run: 3, at: 100 },
    ]);
    expect(of('tool.called')).toEqual([
      expect.objectContaining({ outcome: 'ok', runs: 3, ms: 100 }),
    ]);
    expect(clock.now()).toBe(1_000);
  });

  it('gives up after maxAttempts with the last run’s error', async () => {
    const { run, of } = fetchSystem(() => ({
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 10 } },
      handler: (_url, call) => {
        throw new Error(`down ${call.run}`);
      },
    }));
    const handle = await run(1_000);
    const { error } = (await handle.result()) as { error: Error };
    expect(error.message).toBe('down 2');
    expect(of('tool.called')[0]).toMatchObject({ outcome: 'error', runs: 2 });
  });

  it('retries a run that timed out', async () => {
    const { run, of } = fetchSystem((now) => ({
      timeoutMs: 100,
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 0 } },
      handler: async (url, call) => {
        if (call.run === 1) await sleep(now(), 1_000);
        return url;
      },
    }));
    const handle = await run(1_000);
    await expect(handle.result()).resolves.toEqual({ value: 'u' });
    expect(of('tool.called')[0]).toMatchObject({ outcome: 'ok', runs: 2, ms: 100 });
  });

  it('does not retry a NonRetryableError', async () => {
    const { run, of } = fetchSystem(() => ({
      retry: { maxAttempts: 5, backoff: { kind: 'fixed', delayMs: 10 } },
      handler: () => {
        throw new NonRetryableError('no such page');
      },
    }));
    await run(1_000);
    expect(of('tool.called')[0]).toMatchObject({ outcome: 'error', runs: 1 });
  });
});

describe('cancellation', () => {
  it('aborts the tool’s signal with the attempt’s reason when the task is cancelled', async () => {
    let reason: unknown;
    const { run, system, of, advance } = fetchSystem(() => ({
      handler: (_url, { signal }) =>
        new Promise<string>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          });
        }),
    }));
    await run(10);
    expect(reason).toBeUndefined();
    system.cancel('t1', 'user changed their mind');
    await advance(0);
    expect(reason).toBeInstanceOf(AttemptAborted);
    expect(reason).toMatchObject({ taskId: 't1', why: 'cancelled' });
    expect(of('tool.called')[0]).toMatchObject({ tool: 'fetch', outcome: 'cancelled', ms: 10 });
  });

  it('takes a call waiting for its turn out of the line when its attempt is aborted', async () => {
    const starts: string[] = [];
    let clock: SimulatedClock | undefined;
    const tools = {
      slow: defineTool({
        input: z.string(),
        output: z.string(),
        concurrency: 1,
        handler: async (who) => {
          starts.push(who);
          await sleep(clock as SimulatedClock, 100);
          return who;
        },
      }),
    };
    const { system, of, advance, ...harness } = startSystem({
      tools,
      agents: [
        {
          id: 'a',
          concurrency: 3,
          tools: ['slow'],
          handler: (who: string, ctx: HandlerContext<ToolCalls<typeof tools>>) =>
            ctx.tools.slow(who),
        },
      ],
    });
    clock = harness.clock;
    for (const id of ['first', 'second', 'third'])
      await system.submit({ id, type: 'x', input: id });
    await settle();
    system.cancel('second');
    await advance(1_000);
    expect(starts).toEqual(['first', 'third']);
    expect(of('tool.called').map((e) => [e.taskId, e.outcome])).toEqual([
      ['second', 'cancelled'],
      ['first', 'ok'],
      ['third', 'ok'],
    ]);
  });
});
