import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { taskMachine } from '../../machines/task.js';
import { STATE_AFTER, TASK_STATES, taskStateOf } from '../../machines/task-states.js';

/**
 * The lifecycle states: the leaves under `pending`, and every other top-level state (the
 * children of `running` and `retrying` are phases of their timers, not lifecycle states).
 */
const lifecycleStates = (root: AnyStateNode): string[] =>
  (Object.values(root.states) as AnyStateNode[]).flatMap((node) =>
    node.key === 'pending' ? Object.keys(node.states) : [node.key],
  );

describe('the task state list', () => {
  it('names exactly the lifecycle states of the task machine', () => {
    expect([...TASK_STATES].sort()).toEqual(lifecycleStates(taskMachine.root).sort());
  });

  it('maps every snapshot value of the machine to its state name', () => {
    expect(taskStateOf({ pending: 'blocked' })).toBe('blocked');
    expect(taskStateOf('completed')).toBe('completed');
    expect(taskStateOf({ running: 'timed' })).toBe('running');
    expect(taskStateOf({ retrying: 'waiting' })).toBe('retrying');
    expect(() => taskStateOf('nowhere')).toThrow('not a task state');
  });

  it('names a real state for each emitted event that marks one', () => {
    for (const state of Object.values(STATE_AFTER))
      if (state !== undefined) expect(TASK_STATES).toContain(state);
  });
});
