// Tool calls as a user watches them: an `overseer.tool` span per call under its attempt's
// span on the system clock, figures per tool in `system.metrics().tools`, and a log line.
import type { Tracer } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { z } from 'zod';
import { defineTool, type HandlerContext, type ToolCalls } from '../../src/index.js';
import { settle, startSystem } from '../support/system-harness.js';

const ms = (t: ReadableSpan['startTime']) => t[0] * 1_000 + t[1] / 1e6;
const sleep = (clock: SimulatedClock, delayMs: number) =>
  new Promise<void>((resolve) => clock.setTimeout(resolve, delayMs));

function lookupSystem(tracer?: Tracer) {
  let clock: SimulatedClock | undefined;
  const lookup = defineTool({
    input: z.string(),
    output: z.number(),
    handler: async (word) => {
      await sleep(clock as SimulatedClock, 40);
      if (word === 'bad') throw new Error(`no entry for ${word}`);
      return word.length;
    },
  });
  const harness = startSystem({
    ...(tracer && { tracer }),
    tools: { lookup },
    agents: [
      {
        id: 'w',
        tools: ['lookup'],
        handler: async (
          words: string[],
          ctx: HandlerContext<ToolCalls<{ lookup: typeof lookup }>>,
        ) => {
          let found = 0;
          for (const word of words) found += await ctx.tools.lookup(word).catch(() => 0);
          return found;
        },
      },
    ],
  });
  clock = harness.clock;
  return harness;
}

describe('tool calls in traces and metrics', () => {
  it('draws one overseer.tool span per call under the attempt’s span, on the system clock', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const { system, advance } = lookupSystem(provider.getTracer('test') as Tracer);
    await system.submit({ id: 'T', type: 'count', input: ['otter', 'bad'] });
    await settle();
    await advance(1_000);
    const spans = exporter.getFinishedSpans();
    const attempt = spans.find((s) => s.name === 'overseer.task.attempt');
    const tools = spans.filter((s) => s.name === 'overseer.tool');
    expect(
      tools.map((s) => ({
        outcome: s.attributes['overseer.tool.outcome'],
        from: ms(s.startTime),
        to: ms(s.endTime),
        status: s.status.code,
        error: s.attributes['error.type'],
        parent: s.parentSpanContext?.spanId,
      })),
    ).toEqual([
      {
        outcome: 'ok',
        from: 0,
        to: 40,
        status: 1,
        error: undefined,
        parent: attempt?.spanContext().spanId,
      },
      {
        outcome: 'error',
        from: 40,
        to: 80,
        status: 2,
        error: 'Error',
        parent: attempt?.spanContext().spanId,
      },
    ]);
    expect(tools[0]?.attributes).toMatchObject({
      'overseer.tool.name': 'lookup',
      'overseer.task.id': 'T',
      'overseer.agent.id': 'w',
    });
  });

  it('counts each tool’s calls by outcome, its runs and its call latency', async () => {
    const { system, advance } = lookupSystem();
    await system.submit({ type: 'count', input: ['a', 'bad', 'abc'] });
    await settle();
    await advance(1_000);
    const { lookup } = system.metrics().tools;
    expect(lookup?.calls).toEqual({ ok: 2, error: 1, timeout: 0, rejected: 0, cancelled: 0 });
    expect(lookup?.runs).toBe(3);
    expect(lookup?.latencyMs).toMatchObject({ count: 3, min: 40, max: 40, sum: 120 });
  });
});
