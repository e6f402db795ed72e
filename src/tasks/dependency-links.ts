// The links between a task and the tasks it depends on: a dependency that has not
// completed records its dependents, and tells each one's machine how it ended.
import type { TaskRecord } from './task-record.js';

/** Links `record` to its dependencies that have not completed; returns their ids. */
export function linkDependencies(
  records: ReadonlyMap<string, TaskRecord>,
  record: Pick<TaskRecord, 'task'>,
): string[] {
  const unmet: string[] = [];
  for (const id of record.task.dependsOn) {
    const dependency = records.get(id);
    if (!dependency || dependency.state === 'completed') continue;
    if (dependency.dependents) dependency.dependents.push(record.task.id);
    else dependency.dependents = [record.task.id];
    unmet.push(id);
  }
  return unmet;
}

/** Tells a dependent's machine that `dependency` ended, completed or not. */
export function notifyDependent(
  records: ReadonlyMap<string, TaskRecord>,
  dependentId: string,
  dependency: TaskRecord,
  at: number,
): void {
  const actor = records.get(dependentId)?.actor;
  if (!actor) return;
  const taskId = dependency.task.id;
  if (dependency.state === 'completed') actor.send({ type: 'dependency.completed', taskId, at });
  else
    actor.send({
      type: 'dependency.failed',
      taskId,
      reason: `${dependency.state}: ${dependency.error?.message ?? ''}`,
      at,
    });
}
