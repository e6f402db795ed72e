// A batch submitted together may depend on itself: every dependency must be known or in
// the batch, the batch must be acyclic, and it is registered dependencies first.
import { DependencyCycle, DuplicateTaskId, UnknownDependency } from '../errors/index.js';
import { IndexedHeap } from '../scheduling/indexed-heap.js';
import type { NormalizedTask } from '../tasks/task-spec.js';

/**
 * The batch in an order where every in-batch dependency comes before its dependents, and
 * otherwise in input order (Kahn's algorithm, always taking the earliest ready task).
 * @throws DuplicateTaskId when two tasks of the batch share an id.
 * @throws UnknownDependency when a dependency is neither `isKnown` nor in the batch.
 * @throws DependencyCycle with the cycle's path, e.g. `['a', 'b', 'a']`: a waits for b...
 */
export function orderBatch(
  tasks: readonly NormalizedTask[],
  isKnown: (id: string) => boolean,
): NormalizedTask[] {
  if (tasks.every((task) => task.dependsOn.length === 0)) {
    // Nothing to order: only ids shared within the batch are wrong.
    const seen = new Set<string>();
    for (const task of tasks) {
      if (seen.has(task.id)) throw new DuplicateTaskId(task.id);
      seen.add(task.id);
    }
    return [...tasks];
  }
  const indexOf = new Map<string, number>();
  tasks.forEach((task, i) => {
    if (indexOf.has(task.id)) throw new DuplicateTaskId(task.id);
    indexOf.set(task.id, i);
  });
  const waitingOn = tasks.map(() => 0);
  const dependents: number[][] = tasks.map(() => []);
  tasks.forEach((task, i) => {
    for (const dep of new Set(task.dependsOn)) {
      const at = indexOf.get(dep);
      if (at === undefined) {
        if (!isKnown(dep)) throw new UnknownDependency(task.id, dep);
        continue;
      }
      waitingOn[i] = (waitingOn[i] ?? 0) + 1;
      dependents[at]?.push(i);
    }
  });

  // Ready tasks by input position, so the order departs from the input only where it must.
  const ready = new IndexedHeap<number>((a, b) => a < b);
  for (const [i, count] of waitingOn.entries()) if (count === 0) ready.push(i);
  const ordered: NormalizedTask[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    ordered.push(tasks[i] as NormalizedTask);
    for (const next of dependents[i] ?? []) {
      const left = (waitingOn[next] ?? 0) - 1;
      waitingOn[next] = left;
      if (left === 0) ready.push(next);
    }
  }
  if (ordered.length < tasks.length)
    throw new DependencyCycle(cyclePath(tasks, indexOf, waitingOn));
  return ordered;
}

/**
 * A cycle among the tasks Kahn's algorithm could not emit. Each of them still waits on one
 * of the others, so following waits from the first one must come back to a task already
 * seen: the walk from there is the cycle.
 */
function cyclePath(
  tasks: readonly NormalizedTask[],
  indexOf: ReadonlyMap<string, number>,
  waitingOn: readonly number[],
): string[] {
  const stuck = (id: string) => (waitingOn[indexOf.get(id) ?? -1] ?? 0) > 0;
  const walk: string[] = [];
  const stepOf = new Map<string, number>();
  let id = tasks.find((task) => stuck(task.id))?.id;
  while (id !== undefined && !stepOf.has(id)) {
    stepOf.set(id, walk.length);
    walk.push(id);
    id = tasks[indexOf.get(id) ?? -1]?.dependsOn.find(stuck);
  }
  return id === undefined ? walk : [...walk.slice(stepOf.get(id)), id];
}
