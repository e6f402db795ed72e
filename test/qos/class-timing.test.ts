// The per-class figures counted from a hand-written event stream: what each event means
// for a class, without a scheduler deciding the timings.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { QosOptions } from '../../machines/qos-classes.js';
import { EventStream } from '../../src/core/event-stream.js';
import type { OverseerEvent } from '../../src/index.js';
import { watchClasses } from '../../src/observability/class-metrics.js';
import type { TaskRecord } from '../../src/tasks/task-record.js';

const qos: QosOptions = {
  classes: { interactive: { sloMs: 100 }, batch: { sloMs: 10_000 } },
  default: 'batch',
};

/** Class metrics fed by the test: `task` records a submitted task, `at` publishes. */
function stream() {
  const events = new EventStream();
  const clock = new SimulatedClock();
  const records = new Map<string, TaskRecord>();
  const metrics = watchClasses({ events, clock, records, qos });
  return {
    metrics,
    clock,
    task(taskId: string, cls: string, submittedAt = 0) {
      records.set(taskId, { task: { qos: cls }, submittedAt } as unknown as TaskRecord);
    },
    publish(...list: OverseerEvent[]) {
      for (const e of list) events.publish(e);
    },
  };
}

const ev = (type: string, taskId: string, at: number, more: object = {}) =>
  ({ type, taskId, attempt: 1, agentId: 'a', at, ...more }) as unknown as OverseerEvent;
const failure = (code: string) => ({ error: { kind: 'error', code, message: code } });

describe('per-class figures from the event stream', () => {
  it('ends each attempt once: retried attempts add to busy, and waste when the task misses', () => {
    const s = stream();
    s.task('late', 'interactive');
    s.task('saved', 'interactive');
    s.publish(
      ev('task.ready', 'late', 0),
      ev('task.started', 'late', 0),
      ev('task.retrying', 'late', 40, { ...failure('HandlerError'), retryAt: 60 }),
      ev('task.ready', 'late', 60),
      ev('task.started', 'late', 70),
      ev('task.completed', 'late', 130),
      ev('task.ready', 'saved', 0),
      ev('task.started', 'saved', 0),
      ev('task.interrupted', 'saved', 20, { reason: 'shutdown' }),
      ev('task.ready', 'saved', 20),
      ev('task.started', 'saved', 30),
      ev('task.completed', 'saved', 90),
    );
    expect(s.metrics.snapshot().interactive).toMatchObject({
      completed: 2,
      onTime: 1,
      late: 1,
      // late: 40 + 60; saved: 20 + 60, on time, so none of it is waste.
      busyMs: 180,
      wastedMs: 100,
    });
    // Waits: late 0 and 10, saved 0 and 10.
    expect(s.metrics.snapshot().interactive?.queueDelay).toMatchObject({ count: 4, sum: 20 });
    expect(s.metrics.tracked).toBe(0);
  });

  it('counts DeadlineExceeded as expired within failed, and a cancel after a retry runs no more', () => {
    const s = stream();
    s.task('queued', 'interactive');
    s.task('cut', 'interactive');
    s.task('backing-off', 'batch');
    s.publish(
      ev('task.ready', 'queued', 0),
      ev('task.failed', 'queued', 50, failure('DeadlineExceeded')),
      ev('task.ready', 'cut', 0),
      ev('task.started', 'cut', 10),
      ev('task.failed', 'cut', 80, failure('DeadlineExceeded')),
      ev('task.ready', 'backing-off', 0),
      ev('task.started', 'backing-off', 0),
      ev('task.retrying', 'backing-off', 30, { ...failure('TaskTimedOut'), retryAt: 100 }),
      ev('task.cancelled', 'backing-off', 50, { reason: 'user' }),
    );
    const m = s.metrics.snapshot();
    expect(m.interactive).toMatchObject({ failed: 2, expired: 2, busyMs: 70, wastedMs: 70 });
    expect(m.batch).toMatchObject({ failed: 0, cancelled: 1, busyMs: 30, wastedMs: 30 });
    expect(s.metrics.tracked).toBe(0);
  });

  it('counts refused tasks into the class asked for, by reason, as misses of the submitted', () => {
    const s = stream();
    s.task('ok', 'interactive');
    s.publish(
      ev('task.completed', 'ok', 50),
      ...(['queue-cap', 'shedding', 'queue-cap'] as const).map(
        (reason, i) =>
          ({
            type: 'qos.rejected',
            qos: 'interactive',
            full: i === 2 ? 'batch' : 'interactive',
            reason,
            tasks: i + 1,
            retryAfterMs: 100,
            at: 60,
          }) as const,
      ),
      // A class the system does not declare is not reported.
      {
        type: 'qos.rejected',
        qos: 'nope',
        full: 'nope',
        reason: 'shedding',
        tasks: 1,
        retryAfterMs: 0,
        at: 60,
      },
    );
    const m = s.metrics.snapshot();
    expect(Object.keys(m)).toEqual(['interactive', 'batch']);
    expect(m.interactive).toMatchObject({
      rejected: 6,
      rejectedByReason: { 'queue-cap': 4, 'predicted-late': 0, shedding: 2 },
      attainment: 1,
      attainmentOfSubmitted: 1 / 7,
    });
    expect(m.batch).toMatchObject({ rejected: 0, attainmentOfSubmitted: 0 });
  });

  it('keeps the mode each class’s controller last reported, normal before any', () => {
    const s = stream();
    const mode = (cls: string, to: 'normal' | 'overloaded' | 'shedding', at: number) =>
      ({ type: 'qos.mode', qos: cls, mode: to, delayMs: 40, at }) as const;
    expect(s.metrics.snapshot().interactive?.mode).toBe('normal');
    s.publish(mode('interactive', 'overloaded', 10), mode('interactive', 'shedding', 20));
    expect(s.metrics.snapshot().interactive?.mode).toBe('shedding');
    expect(s.metrics.snapshot().batch?.mode).toBe('normal');
    s.publish(mode('interactive', 'normal', 30));
    expect(s.metrics.snapshot().interactive?.mode).toBe('normal');
  });

  it('measures goodput in tasks on time per second of the clock since it began', () => {
    const s = stream();
    expect(s.metrics.snapshot().interactive?.goodput).toBe(0);
    for (const id of ['a', 'b', 'c']) s.task(id, 'interactive');
    s.publish(
      ev('task.completed', 'a', 100),
      ev('task.completed', 'b', 90),
      ev('task.completed', 'c', 500), // late
    );
    s.clock.set(4_000);
    expect(s.metrics.snapshot().interactive?.goodput).toBe(0.5);
  });

  it('keeps timing only for unfinished tasks', () => {
    const s = stream();
    for (let i = 0; i < 1_000; i++) {
      const id = `t${i}`;
      s.task(id, 'batch', i);
      s.publish(ev('task.ready', id, i), ev('task.started', id, i + 1));
      if (i >= 3) s.publish(ev('task.completed', id, i + 2));
    }
    expect(s.metrics.tracked).toBe(3);
    expect(s.metrics.snapshot().batch).toMatchObject({ busyMs: 997, completed: 997 });
  });
});
