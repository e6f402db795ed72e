// What the coordinator announces about a task on the system's stream: its submission, its
// progress, and its end, which also settles the promise behind `handle.result()` (the
// output, or TaskFailed or TaskCancelled). Events nobody listens for are not built.
import type { TaskError } from '../../machines/task-error.js';
import type { Attempt } from '../agents/attempt.js';
import { TaskCancelled, TaskFailed } from '../errors/index.js';
import type { EventStream } from '../system/event-stream.js';
import type { TaskRecord } from './task-record.js';

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

export function announceProgress(
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

export function announceOutcome(
  events: EventStream,
  record: TaskRecord,
  state: 'completed' | 'failed' | 'cancelled',
  error: TaskError | undefined,
  output: unknown,
  at: number,
): void {
  const attempt = record.attempts;
  const taskId = record.task.id;
  const reason = error?.message ?? 'cancelled';
  if (state === 'completed')
    events.publish({ type: 'task.completed', taskId, attempt, output, at });
  else if (state === 'cancelled')
    events.publish({ type: 'task.cancelled', taskId, attempt, reason, at });
  else if (error) events.publish({ type: 'task.failed', taskId, attempt, error, at });
  const settlement = record.settlement;
  if (!settlement) return;
  if (state === 'completed') settlement.resolve(output);
  else if (state === 'cancelled') settlement.reject(new TaskCancelled(taskId, reason));
  else if (error) settlement.reject(new TaskFailed(taskId, error, attempt));
}
