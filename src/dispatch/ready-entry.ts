// A ready task as the scheduler queues it: its order keys, and with QoS classes its class,
// when it is due (its deadline or its class's SLO from submit, whichever is first) and the
// run time it is estimated to cost its class's backlog, and the critical path below it.
import { dueAtOf, type QosOptions } from '../../machines/qos-classes.js';
import type { ServiceTimes } from '../qos/service-times.js';
import type { ReadyEntry } from '../scheduling/scheduler.js';
import type { TaskRecord } from '../tasks/task-record.js';

export function readyEntry(
  record: TaskRecord,
  now: number,
  qos: QosOptions | undefined,
  times: ServiceTimes | undefined,
): ReadyEntry {
  const { task } = record;
  const sloMs = qos?.classes[task.qos]?.sloMs;
  return {
    ...(times === undefined ? {} : { workMs: times.meanMs(task.type) }),
    ...(record.pathLength === undefined ? {} : { pathLength: record.pathLength }),
    taskId: task.id,
    priority: task.priority,
    seq: record.seq,
    enqueuedAt: now,
    requirement: record.requirement,
    qos: task.qos,
    dueAt: dueAtOf(task.deadline, record.submittedAt, sloMs),
    heapIndex: -1,
  };
}
