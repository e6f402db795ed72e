import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyCycle, DuplicateTaskId, UnknownDependency } from '../../src/errors/index.js';
import type { NormalizedTask } from '../../src/tasks/task-spec.js';
import { orderBatch } from '../../src/validation/dependency-order.js';
import { validateTaskSpec } from '../../src/validation/validate-task-spec.js';

const ctx = {
  now: 0,
  defaultRetry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } } as const,
  newId: () => 'unused',
};
const task = (id: string, ...dependsOn: string[]): NormalizedTask =>
  validateTaskSpec({ id, type: 'x', dependsOn }, ctx);
const ids = (tasks: readonly NormalizedTask[]) => tasks.map((t) => t.id);
const nothingKnown = () => false;

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('a batch is ordered dependencies first', () => {
  it('keeps the input order of a batch without in-batch dependencies', () => {
    const batch = [task('c'), task('a', 'known'), task('b')];
    expect(ids(orderBatch(batch, (id) => id === 'known'))).toEqual(['c', 'a', 'b']);
  });

  it('moves a task only as far as its dependencies require (Kahn, earliest ready first)', () => {
    const batch = [task('report', 'load'), task('ping'), task('load', 'fetch'), task('fetch')];
    expect(ids(orderBatch(batch, nothingKnown))).toEqual(['ping', 'fetch', 'load', 'report']);
  });

  it('runs a diamond with its join last', () => {
    const batch = [
      task('join', 'left', 'right'),
      task('right', 'root'),
      task('left', 'root'),
      task('root'),
    ];
    expect(ids(orderBatch(batch, nothingKnown))).toEqual(['root', 'right', 'left', 'join']);
  });

  it('for any acyclic batch, places every in-batch dependency before its dependent', () => {
    // Task i may depend only on tasks with a larger index, so the batch is acyclic.
    const batch = fc
      .integer({ min: 1, max: 30 })
      .chain((n) =>
        fc.tuple(
          ...Array.from({ length: n }, (_, i) =>
            fc.subarray(Array.from({ length: n - i - 1 }, (_, k) => `t${i + k + 1}`)),
          ),
        ),
      )
      .chain((deps) =>
        fc.shuffledSubarray(
          deps.map((d, i) => task(`t${i}`, ...d)),
          { minLength: deps.length },
        ),
      );
    fc.assert(
      fc.property(batch, (tasks) => {
        const order = ids(orderBatch(tasks, nothingKnown));
        expect([...order].sort()).toEqual(ids(tasks).sort());
        for (const t of tasks) {
          for (const dep of t.dependsOn)
            expect(order.indexOf(dep)).toBeLessThan(order.indexOf(t.id));
        }
      }),
    );
  });
});

describe('a batch that cannot be ordered is refused whole', () => {
  it('names the cycle as a path back to where it started', () => {
    const batch = [task('ok'), task('a', 'b'), task('b', 'c'), task('c', 'a')];
    const error = thrownBy(() => orderBatch(batch, nothingKnown));
    expect(error).toBeInstanceOf(DependencyCycle);
    expect(error).toMatchObject({ code: 'DependencyCycle', cycle: ['a', 'b', 'c', 'a'] });
    expect((error as Error).message).toBe('dependency cycle: a -> b -> c -> a');
  });

  it('names only the cycle, not the tasks waiting on it', () => {
    const batch = [task('tail', 'x'), task('x', 'y'), task('y', 'x')];
    expect(thrownBy(() => orderBatch(batch, nothingKnown))).toMatchObject({
      cycle: ['x', 'y', 'x'],
    });
  });

  it('refuses a dependency that is neither submitted before nor in the batch', () => {
    const batch = [task('a', 'known'), task('b', 'ghost')];
    const error = thrownBy(() => orderBatch(batch, (id) => id === 'known'));
    expect(error).toBeInstanceOf(UnknownDependency);
    expect(error).toMatchObject({ code: 'UnknownDependency', taskId: 'b', dependency: 'ghost' });
  });

  it('refuses two tasks with one id', () => {
    const error = thrownBy(() => orderBatch([task('a'), task('b'), task('a')], nothingKnown));
    expect(error).toBeInstanceOf(DuplicateTaskId);
    expect(error).toMatchObject({ code: 'DuplicateTaskId', taskId: 'a' });
  });
});
