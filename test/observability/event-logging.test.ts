import { describe, expect, it } from 'vitest';
import { EventStream } from '../../src/core/event-stream.js';
import { type Logger, silentLogger } from '../../src/index.js';
import { logEvents } from '../../src/observability/event-logging.js';
import { metricsScenario } from './metrics-scenario.js';

function recordingLogger(enabled?: readonly string[]) {
  const lines: { level: string; fields: Record<string, unknown>; message: string | undefined }[] =
    [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message?: string): void => {
      lines.push({ level, fields, message });
    };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    ...(enabled ? { isLevelEnabled: (level: string) => enabled.includes(level) } : {}),
  };
  return { lines, logger };
}

describe('structured logs', () => {
  it('writes each event at its level with flat fields and a short message', async () => {
    const { lines, logger } = recordingLogger();
    await metricsScenario(1_000, () => undefined, { logger });
    const ofC = lines.filter((l) => l.fields.taskId === 'C');
    expect(ofC.map((l) => `${l.level} ${l.message}`)).toEqual([
      'debug task C submitted (resize)',
      'debug task C ready',
      'debug task C assigned to w',
      'debug task C attempt 1 started on w',
      'warn task C attempt 1 failed, retrying: boom',
      'debug task C ready',
      'debug task C assigned to w',
      'debug task C attempt 2 started on w',
      'info task C completed on attempt 2',
    ]);
    expect(ofC[4]?.fields).toMatchObject({
      event: 'task.retrying',
      taskId: 'C',
      attempt: 1,
      at: 450,
      'error.message': 'boom',
      'error.kind': 'error',
      retryAt: 500,
    });
    expect(lines.find((l) => l.fields.event === 'agent.registered')).toMatchObject({
      level: 'info',
      message: 'agent w registered',
      fields: { agentId: 'w', slots: 1 },
    });
  });

  it('subscribes nothing for the silent logger, and only enabled levels for a pino-like one', () => {
    const silent = new EventStream();
    logEvents(silent, silentLogger);
    expect(silent.wants('task.failed')).toBe(false);

    const leveled = new EventStream();
    logEvents(leveled, recordingLogger(['warn', 'error']).logger);
    expect(leveled.wants('agent.busy')).toBe(false);
    expect(leveled.wants('task.completed')).toBe(false);
    expect(leveled.wants('task.retrying')).toBe(true);
    expect(leveled.wants('task.failed')).toBe(true);
  });

  it("puts a handler's ctx.log fields on its line, without letting them replace the event's own", () => {
    const stream = new EventStream();
    const { lines, logger } = recordingLogger();
    logEvents(stream, logger);
    stream.publish({
      type: 'task.log',
      taskId: 't',
      attempt: 1,
      at: 5,
      message: 'fetched page',
      fields: { url: 'https://example.com', bytes: 512, taskId: 'spoofed', at: 0 },
    });
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'fetched page',
        fields: {
          event: 'task.log',
          taskId: 't',
          attempt: 1,
          at: 5,
          message: 'fetched page',
          url: 'https://example.com',
          bytes: 512,
        },
      },
    ]);
  });
});
