// A tool's limits hold across every call to it, on the system clock: at most `concurrency`
// runs in flight, later calls waiting their turn in arrival order; at most `ratePerSec`
// starts a second after a burst, a call over the rate waiting for its token, or refused
// with ToolRateLimited under `overRate: 'reject'`.
import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { z } from 'zod';
import {
  defineTool,
  type HandlerContext,
  type ToolCalls,
  type ToolDeclaration,
  ToolRateLimited,
} from '../../src/index.js';
import { settle, startSystem } from '../support/system-harness.js';

const sleep = (clock: SimulatedClock, ms: number) =>
  new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

type Limits = Pick<ToolDeclaration, 'concurrency' | 'ratePerSec' | 'burst' | 'overRate'>;

/** A system whose one task calls `ping` `calls` times at once; records when each run starts. */
function pingSystem(limits: Limits, calls: number, workMs = 0) {
  const starts: { n: number; at: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const ping = defineTool({
    input: z.number(),
    output: z.number(),
    handler: async (n) => {
      starts.push({ n, at: harness.clock.now() });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      if (workMs > 0) await sleep(harness.clock, workMs);
      inFlight--;
      return n;
    },
    ...limits,
  });
  const harness = startSystem({
    tools: { ping },
    agents: [
      {
        id: 'caller',
        tools: ['ping'],
        handler: (_: unknown, ctx: HandlerContext<ToolCalls<{ ping: typeof ping }>>) =>
          Promise.allSettled(Array.from({ length: calls }, (_, n) => ctx.tools.ping(n))),
      },
    ],
  });
  /** Submits the fan-out task, lets its handler make its calls at time 0, then advances `ms`. */
  const run = async (ms: number) => {
    const handle = await harness.system.submit({ type: 'fan-out', input: null });
    await settle();
    await harness.advance(ms);
    return (await handle.result()) as PromiseSettledResult<number>[];
  };
  return { ...harness, run, starts, maxInFlight: () => maxInFlight };
}

describe('concurrency', () => {
  it('runs at most `concurrency` calls at once; the rest start in arrival order as runs end', async () => {
    const { run, starts, maxInFlight } = pingSystem({ concurrency: 2 }, 5, 100);
    const settled = await run(1_000);
    expect(starts).toEqual([
      { n: 0, at: 0 },
      { n: 1, at: 0 },
      { n: 2, at: 100 },
      { n: 3, at: 100 },
      { n: 4, at: 200 },
    ]);
    expect(maxInFlight()).toBe(2);
    expect(settled.map((s) => s.status)).toEqual(Array(5).fill('fulfilled'));
  });

  it('counts each call’s wait in its tool.called ms', async () => {
    const { run, of } = pingSystem({ concurrency: 1 }, 3, 100);
    await run(1_000);
    expect(of('tool.called').map((e) => e.ms)).toEqual([100, 200, 300]);
  });
});

describe('rate (a token bucket on the system clock)', () => {
  it('starts a burst of ceil(ratePerSec) at once, then one call per 1/ratePerSec seconds', async () => {
    const { run, starts } = pingSystem({ ratePerSec: 2 }, 6);
    await run(5_000);
    expect(starts.map((s) => s.at)).toEqual([0, 0, 500, 1_000, 1_500, 2_000]);
    expect(starts.map((s) => s.n)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('takes `burst` for the calls that may start at once', async () => {
    const { run, starts } = pingSystem({ ratePerSec: 4, burst: 1 }, 3);
    await run(5_000);
    expect(starts.map((s) => s.at)).toEqual([0, 250, 500]);
  });

  it('combines with concurrency: a call starts once it has both a slot and a token', async () => {
    const { run, starts } = pingSystem({ ratePerSec: 10, concurrency: 1 }, 3, 300);
    await run(5_000);
    expect(starts.map((s) => s.at)).toEqual([0, 300, 600]);
  });

  it("refuses calls over the rate with ToolRateLimited under overRate: 'reject'", async () => {
    const { run, starts } = pingSystem({ ratePerSec: 2, overRate: 'reject' }, 4);
    const settled = await run(0);
    expect(starts.map((s) => s.n)).toEqual([0, 1]);
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused).toHaveLength(2);
    const reason = (refused[0] as PromiseRejectedResult).reason as ToolRateLimited;
    expect(reason).toBeInstanceOf(ToolRateLimited);
    expect(reason).toMatchObject({ tool: 'ping', ratePerSec: 2, retryAfterMs: 500 });
  });
});
