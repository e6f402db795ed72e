// A task's trail in the dashboard of a PostgreSQL cluster, from what its store holds (its
// status and its records, remote-status.ts): each step its machine took that the leader
// wrote (each transition, its end), as the dashboard of a running system shows them from
// its events. Steps the store does not keep (assigned, ready) are not there.
import type { RemoteTaskTaken } from '../cluster/remote-status.js';
import type { Stored, TaskLifecycleRecord } from '../store/store-records.js';
import { outputText, type TaskTrail, type TrailStep } from './task-trails.js';

export function clusterTrail(
  status: RemoteTaskTaken,
  history: readonly Stored<TaskLifecycleRecord>[],
): TaskTrail {
  return {
    id: status.id,
    type: status.type,
    state: status.state,
    attempts: status.attempts,
    agentId: status.agentId,
    submittedAt: status.submittedAt,
    updatedAt: status.updatedAt,
    steps: history.flatMap((record) => {
      const step = stepOf(record);
      return step ? [step] : [];
    }),
  };
}

function stepOf(record: TaskLifecycleRecord): TrailStep | undefined {
  if (record.kind === 'task.submitted') return undefined;
  const step: { -readonly [K in keyof TrailStep]: TrailStep[K] } = {
    state: record.kind === 'task.transition' ? record.state : record.kind.slice('task.'.length),
    at: record.at,
    attempt: record.attempt,
  };
  if (record.agentId !== undefined) step.agentId = record.agentId;
  const error =
    record.kind === 'task.transition' || record.kind === 'task.failed' ? record.error : undefined;
  if (error) step.error = { code: error.code, message: error.message };
  if (record.kind === 'task.completed') step.output = outputText(record.output);
  if (record.kind === 'task.cancelled') step.note = record.reason;
  return step;
}
