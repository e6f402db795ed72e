// Tools declared once on the system and called from handlers as `ctx.tools.<name>(input)`:
// a granted call runs end to end, typed by the tools record; input and output pass the
// tool's schemas or fail with typed errors; a tool the agent was not granted is refused;
// each call is an event and counts in `system.metrics().tools`.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineTool,
  type HandlerContext,
  type ToolCalls,
  ToolInputInvalid,
  ToolNotGranted,
  ToolOutputInvalid,
} from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

const tools = {
  search: defineTool({
    input: z.object({ q: z.string().min(1) }),
    output: z.array(z.string()),
    handler: ({ q }) => [`${q}-1`, `${q}-2`],
  }),
  broken: defineTool({
    input: z.object({ n: z.number() }),
    output: z.object({ doubled: z.number() }),
    handler: ({ n }) => ({ doubled: String(n * 2) }) as never,
  }),
};
type Tools = HandlerContext<ToolCalls<typeof tools>>;

/** What a promise settled to, so a test can assert on a rejection's class and fields. */
const outcome = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe('a tool granted to an agent', () => {
  it('is called from the handler with checked input and resolves to its checked output', async () => {
    const { system, advance } = startSystem({
      tools,
      agents: [
        {
          id: 'researcher',
          tools: ['search'],
          handler: async (topic: string, ctx: Tools) => ctx.tools.search({ q: topic }),
        },
      ],
    });
    const handle = await system.submit({ type: 'research', input: 'otters' });
    await advance(0);
    await expect(handle.result()).resolves.toEqual(['otters-1', 'otters-2']);
  });

  it('publishes tool.called with the caller, the outcome and the time it took', async () => {
    const { system, advance, of } = startSystem({
      tools,
      agents: [
        {
          id: 'researcher',
          tools: ['search'],
          handler: async (topic: string, ctx: Tools) => ctx.tools.search({ q: topic }),
        },
      ],
    });
    const handle = await system.submit({ id: 't1', type: 'research', input: 'otters' });
    await advance(0);
    await handle.result();
    expect(of('tool.called')).toEqual([
      {
        type: 'tool.called',
        tool: 'search',
        agentId: 'researcher',
        taskId: 't1',
        attempt: 1,
        ms: 0,
        runs: 1,
        outcome: 'ok',
        at: 0,
      },
    ]);
    expect(system.metrics().tools.search).toMatchObject({
      calls: { ok: 1, error: 0, timeout: 0, rejected: 0, cancelled: 0 },
      runs: 1,
      latencyMs: { count: 1 },
    });
  });
});

describe('input and output pass the tool’s schemas', () => {
  it('refuses input the input schema rejects with ToolInputInvalid, without running the tool', async () => {
    let runs = 0;
    const { system, advance, of } = startSystem({
      tools: {
        search: defineTool({
          ...tools.search,
          handler: () => {
            runs++;
            return [];
          },
        }),
      },
      agents: [
        {
          id: 'a',
          tools: ['search'],
          handler: async (_: unknown, ctx: Tools) => outcome(ctx.tools.search({ q: '' })),
        },
      ],
    });
    const handle = await system.submit({ type: 'research', input: null });
    await advance(0);
    const result = (await handle.result()) as { ok: boolean; error: ToolInputInvalid };
    expect(result.ok).toBe(false);
    const { error } = result;
    expect(error).toBeInstanceOf(ToolInputInvalid);
    expect(error.tool).toBe('search');
    expect(error.issues).toEqual([expect.objectContaining({ path: ['q'] })]);
    expect(error.message).toMatch(/^tool search refused its input: q: /);
    expect(runs).toBe(0);
    expect(of('tool.called')[0]).toMatchObject({
      outcome: 'rejected',
      runs: 0,
      error: { code: 'ToolInputInvalid' },
    });
  });

  it('fails a call whose handler returns output the output schema rejects with ToolOutputInvalid', async () => {
    const { system, advance } = startSystem({
      tools,
      agents: [
        {
          id: 'a',
          tools: ['broken'],
          handler: async (_: unknown, ctx: Tools) => outcome(ctx.tools.broken({ n: 2 })),
        },
      ],
    });
    const handle = await system.submit({ type: 'double', input: null });
    await advance(0);
    const result = await handle.result();
    const error = (result as { error: ToolOutputInvalid }).error;
    expect(error).toBeInstanceOf(ToolOutputInvalid);
    expect(error.tool).toBe('broken');
    expect(error.issues[0]?.path).toEqual(['doubled']);
  });
});

describe('a tool the agent was not granted', () => {
  it('fails with ToolNotGranted naming the agent, the tool and the tools it has', async () => {
    const { system, advance, of } = startSystem({
      tools,
      agents: [
        {
          id: 'writer',
          tools: ['search'],
          handler: async (_: unknown, ctx: Tools) => outcome(ctx.tools.broken({ n: 1 })),
        },
      ],
    });
    const handle = await system.submit({ type: 'write', input: null });
    await advance(0);
    const { error } = (await handle.result()) as { error: ToolNotGranted };
    expect(error).toBeInstanceOf(ToolNotGranted);
    expect(error).toMatchObject({ agentId: 'writer', tool: 'broken', granted: ['search'] });
    expect(error.message).toBe('agent writer was not granted tool "broken"; it has search');
    expect(of('tool.called')[0]).toMatchObject({ tool: 'broken', outcome: 'rejected' });
  });

  it('is refused the same way for an agent granted no tools, in a system with none', async () => {
    const { system, advance } = startSystem({
      agents: [
        {
          id: 'plain',
          handler: async (_: unknown, ctx: Tools) => outcome(ctx.tools.search({ q: 'x' })),
        },
      ],
    });
    const handle = await system.submit({ type: 'x', input: null });
    await advance(0);
    const { error } = (await handle.result()) as { error: ToolNotGranted };
    expect(error.message).toBe('agent plain was not granted tool "search"; it has no tools');
  });

  it('lists only granted tools as the keys of ctx.tools, and ctx.tools is not a thenable', async () => {
    const { system, advance } = startSystem({
      tools,
      agents: [
        {
          id: 'a',
          tools: ['search'],
          handler: async (_: unknown, ctx: HandlerContext) => ({
            keys: Object.keys(ctx.tools),
            awaited: (await ctx.tools) === ctx.tools,
          }),
        },
      ],
    });
    const handle = await system.submit({ type: 'x', input: null });
    await advance(0);
    await expect(handle.result()).resolves.toEqual({ keys: ['search'], awaited: true });
  });
});
