// The per-class figures of `system.metrics().qos`, counted from the system's events: task
// ends against the class's SLO, refusals at admission, controller modes, and each class's
// queueing delay, busy and wasted run time.
import type { QosOptions } from '../../machines/qos-classes.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { OverseerEventOf } from '../core/system-events.js';
import type { TaskRecord } from '../tasks/task-record.js';
import { type ClassEnd, type ClassOutcome, ClassOutcomes } from './class-outcomes.js';
import { ClassTiming } from './class-timing.js';

export interface ClassMetricsSources {
  readonly events: EventStream;
  readonly clock: SystemClock;
  readonly records: ReadonlyMap<string, TaskRecord>;
  readonly qos: QosOptions;
}

export interface ClassMetrics {
  snapshot(): Record<string, ClassOutcome>;
  /** Unfinished tasks whose timing is kept (for tests of the bound). */
  readonly tracked: number;
}

type End = OverseerEventOf<'task.completed' | 'task.failed' | 'task.cancelled'>;

/** Starts counting; `since` (the clock now) is where goodput's seconds begin. */
export function watchClasses({ events, clock, records, qos }: ClassMetricsSources): ClassMetrics {
  const since = clock.now();
  const outcomes = new ClassOutcomes(qos);
  const timing = new ClassTiming();
  const qosOf = (taskId: string) => records.get(taskId)?.task.qos;

  const finish = (e: End) => {
    const record = records.get(e.taskId);
    if (!record) return;
    const end = endOf(e, outcomes.sloOf(record.task.qos), e.at - record.submittedAt);
    outcomes.finished(record.task.qos, end);
    timing.finished(e.taskId, record.task.qos, e.at, end === 'onTime');
  };
  const endAttempt = (e: OverseerEventOf<'task.retrying' | 'task.interrupted'>) => {
    const qosName = qosOf(e.taskId);
    if (qosName !== undefined) timing.attemptEnded(e.taskId, qosName, e.at);
  };

  events.on('task.ready', (e) => timing.ready(e.taskId, e.at));
  events.on('task.started', (e) => {
    const qosName = qosOf(e.taskId);
    if (qosName !== undefined) timing.started(e.taskId, qosName, e.at);
  });
  events.on('task.retrying', endAttempt);
  events.on('task.interrupted', endAttempt);
  events.on('task.completed', finish);
  events.on('task.failed', finish);
  events.on('task.cancelled', finish);
  events.on('qos.rejected', (e) => outcomes.rejected(e.qos, e.reason, e.tasks));
  events.on('qos.mode', (e) => outcomes.moved(e.qos, e.mode));

  return {
    snapshot: () => outcomes.snapshot(clock.now() - since, (name) => timing.snapshot(name)),
    get tracked() {
      return timing.tracked;
    },
  };
}

function endOf(e: End, sloMs: number | undefined, elapsedMs: number): ClassEnd {
  switch (e.type) {
    case 'task.completed':
      return sloMs !== undefined && elapsedMs <= sloMs ? 'onTime' : 'late';
    case 'task.failed':
      return e.error.code === 'DeadlineExceeded' ? 'expired' : 'failed';
    case 'task.cancelled':
      return 'cancelled';
  }
}
