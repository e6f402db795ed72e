// The critical path of a submission with dependencies: for each task, how many tasks the
// longest chain of its dependents within the same submission has (itself included). Within
// a QoS class, of tasks due at the same time (a batch's), the head of the longest chain
// starts first, so the batch's last task is not held up by a side branch that ran before
// it. Computed once at submit, in O(dependency edges), from the batch in dependency order.
import type { NormalizedTask } from './task-spec.js';

/** Path lengths of the tasks that have dependents in the batch (`ordered`: dependencies first). */
export function batchPathLengths(ordered: readonly NormalizedTask[]): Map<string, number> {
  const lengths = new Map<string, number>();
  for (let i = ordered.length - 1; i >= 0; i--) {
    const task = ordered[i] as NormalizedTask;
    const own = lengths.get(task.id) ?? 1;
    for (const id of task.dependsOn) lengths.set(id, Math.max(lengths.get(id) ?? 1, own + 1));
  }
  for (const [id, length] of lengths) if (length === 1) lengths.delete(id);
  return lengths;
}
