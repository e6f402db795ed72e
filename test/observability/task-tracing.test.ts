import type { Tracer } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { settle, startSystem } from '../support/system-harness.js';
import { metricsScenario } from './metrics-scenario.js';

const ms = (t: ReadableSpan['startTime']) => t[0] * 1_000 + t[1] / 1e6;

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('test') as Tracer };
}

describe('OpenTelemetry spans', () => {
  it('has a span per task and, under it, one per attempt, on the system clock', async () => {
    const { exporter, tracer } = tracing();
    await metricsScenario(1_000, () => undefined, { tracer });
    const spans = exporter.getFinishedSpans();
    const tasks = spans.filter((s) => s.name === 'overseer.task');
    const attempts = spans.filter((s) => s.name === 'overseer.task.attempt');
    expect(tasks.map((s) => s.attributes['overseer.task.id']).sort()).toEqual(['A', 'B', 'C']);
    const c = tasks.find((s) => s.attributes['overseer.task.id'] === 'C');
    expect(c?.attributes).toMatchObject({
      'overseer.task.type': 'resize',
      'overseer.task.priority': 1,
      'overseer.task.outcome': 'completed',
    });
    expect([ms(c?.startTime ?? [0, 0]), ms(c?.endTime ?? [0, 0])]).toEqual([0, 550]);

    const ofC = attempts.filter((s) => s.attributes['overseer.task.id'] === 'C');
    expect(
      ofC.map((s) => ({
        attempt: s.attributes['overseer.task.attempt'],
        agent: s.attributes['overseer.agent.id'],
        from: ms(s.startTime),
        to: ms(s.endTime),
        status: s.status.code,
        parent: s.parentSpanContext?.spanId,
      })),
    ).toEqual([
      { attempt: 1, agent: 'w', from: 400, to: 450, status: 2, parent: c?.spanContext().spanId },
      { attempt: 2, agent: 'w', from: 500, to: 550, status: 1, parent: c?.spanContext().spanId },
    ]);
    expect(ofC[0]?.status.message).toBe('boom');
    expect(ofC[0]?.attributes['error.type']).toBe('HandlerError');
    expect(ofC[0]?.events.map((e) => [e.name, e.attributes, ms(e.time)])).toEqual([
      ['exception', { 'exception.type': 'HandlerError', 'exception.message': 'boom' }, 450],
    ]);
    expect(ofC[1]?.attributes['error.type']).toBeUndefined();
    expect(attempts).toHaveLength(4);
  });

  it('ends the spans of tasks still open when the system stops', async () => {
    const { exporter, tracer } = tracing();
    const { system, clock } = startSystem({
      tracer,
      agents: [{ id: 'w', handler: () => new Promise(() => undefined) }],
    });
    await system.submit({ id: 'stuck', type: 'hang' });
    const stopped = system.stop({ timeoutMs: 100 });
    await settle();
    clock.increment(100);
    await stopped;
    const names = exporter
      .getFinishedSpans()
      .map((s) => [s.name, s.attributes['overseer.task.outcome'], s.attributes['error.type']]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['overseer.task.attempt', undefined, 'SystemStopped'],
        ['overseer.task', 'unfinished', undefined],
      ]),
    );
  });
});
