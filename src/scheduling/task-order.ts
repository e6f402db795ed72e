// The order in which ready tasks leave the queue.

/**
 * `priority`: higher first, FIFO within a priority (aging applies to it alone).
 * `priority-lifo`: higher first, newest first within a priority. `fifo` and `lifo`
 * ignore priority. `deadline`: earliest deadline first (a task without one last), then
 * higher priority, then submission order.
 */
export type TaskOrder = 'priority' | 'priority-lifo' | 'fifo' | 'lifo' | 'deadline';

export interface ReadyEntry {
  readonly taskId: string;
  readonly priority: number;
  /** Submission order; ties break on it. */
  readonly seq: number;
  /** Clock time the task joined the queue. */
  readonly enqueuedAt: number;
  readonly requirement: import('./requirement.js').Requirement;
  /** Its QoS class, when the system has classes (the default class when unset). */
  readonly qos?: string;
  /** When it is due: its deadline or its class's SLO from submit, whichever is first. */
  readonly dueAt?: number;
  /** Tasks in the longest chain waiting on it (QoS classes: critical path first). */
  readonly pathLength?: number;
  /** Its estimated run time when queued, ms (QoS classes: the class's backlog counts it). */
  readonly workMs?: number;
  /** Its index in the queue's heap while queued (-1 or absent: not queued); the heap's. */
  heapIndex?: number;
}

/**
 * `before(a, b)`: a leaves the queue first. With aging, a task gains one priority level per
 * `agingMs` waited. All queued tasks age at the same rate, so the effective priority
 * `p + (now - enqueuedAt) / agingMs` orders tasks exactly like the fixed key
 * `p - enqueuedAt / agingMs`: the heap never needs re-sorting as time passes.
 */
export function taskOrder(
  order: TaskOrder,
  agingMs?: number,
): (a: ReadyEntry, b: ReadyEntry) => boolean {
  if (order === 'fifo') return (a, b) => a.seq < b.seq;
  if (order === 'lifo') return (a, b) => a.seq > b.seq;
  if (order === 'deadline') return dueFirst;
  if (order === 'priority-lifo')
    return (a, b) => (a.priority !== b.priority ? a.priority > b.priority : a.seq > b.seq);
  if (agingMs === undefined)
    return (a, b) => (a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq);
  const key = (e: ReadyEntry) => e.priority - e.enqueuedAt / agingMs;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka !== kb ? ka > kb : a.seq < b.seq;
  };
}

/**
 * Earliest due first (a task without `dueAt` last), then the longer chain of tasks waiting
 * on it (`pathLength`: a batch's critical path first), then higher priority, then
 * submission order: the order within a QoS class, and the `deadline` order of a system
 * without classes.
 */
export function dueFirst(a: ReadyEntry, b: ReadyEntry): boolean {
  const da = a.dueAt ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db;
  const pa = a.pathLength ?? 0;
  const pb = b.pathLength ?? 0;
  if (pa !== pb) return pa > pb;
  return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
}
