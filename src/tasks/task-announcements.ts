// What subscribers hear about a task besides its machine's moves: its submission and its
// progress; and, once its end is final (durable, with a store), the end event its machine
// emitted, which also settles the promise behind `handle.result()`. Events nobody listens
// for are not built.
import type { TaskEmitted } from '../../machines/task.js';
import type { Attempt } from '../agents/attempt.js';
import type { EventStream } from '../core/event-stream.js';
import { TaskCancelled, TaskFailed } from '../errors/index.js';
import type { TaskRecord } from './task-record.js';

export type TaskEnd = Extract<
  TaskEmitted,
  { type: 'task.completed' | 'task.failed' | 'task.cancelled' }
>;

export function announceSubmitted(events: EventStream, record: TaskRecord): void {
  if (!events.wants('task.submitted')) return;
  const { task } = record;
  events.publish({
    type: 'task.submitted',
    taskId: task.id,
    taskType: task.type,
    priority: task.priority,
    capabilities: task.capabilities,
    resources: task.resources,
    dependsOn: task.dependsOn,
    deadline: task.deadline,
    maxAttempts: task.retry.maxAttempts,
    attempt: 0,
    at: record.submittedAt,
  });
}

export function forwardProgress(
  events: EventStream,
  attempt: Attempt,
  progress: number,
  note: string | undefined,
  at: number,
): void {
  if (!events.wants('task.progress')) return;
  events.publish({
    type: 'task.progress',
    taskId: attempt.taskId,
    agentId: attempt.agentId,
    attempt: attempt.number,
    progress,
    ...(note === undefined ? {} : { note }),
    at,
  });
}

/** Publishes the end its machine emitted and settles the task's result. */
export function forwardEnd(events: EventStream, record: TaskRecord, end: TaskEnd): void {
  events.publish(end);
  // A finished task is kept long (retainFinished), so it keeps nothing it no longer needs:
  // its settled attempt, and its result's promise once settled (a later `result()` makes a
  // settled one from the record, settlement.ts).
  if (record.attempt?.settled) record.attempt = undefined;
  const settlement = record.settlement;
  if (!settlement) return;
  record.settlement = undefined;
  if (end.type === 'task.completed') settlement.resolve(end.output);
  else if (end.type === 'task.cancelled')
    settlement.reject(new TaskCancelled(end.taskId, end.reason));
  else settlement.reject(new TaskFailed(end.taskId, end.error, end.attempt));
}
