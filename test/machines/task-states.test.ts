import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { taskMachine } from '../../machines/task.js';
import { STATE_AFTER, TASK_STATES, taskStateOf } from '../../machines/task-states.js';

const leaves = (node: AnyStateNode): string[] => {
  const children = Object.values(node.states) as AnyStateNode[];
  return children.length === 0 ? [node.key] : children.flatMap(leaves);
};

describe('the task state list', () => {
  it('names exactly the leaf states of the task machine', () => {
    expect([...TASK_STATES].sort()).toEqual(leaves(taskMachine.root).sort());
  });

  it('maps every snapshot value of the machine to its state name', () => {
    expect(taskStateOf({ pending: 'blocked' })).toBe('blocked');
    expect(taskStateOf('running')).toBe('running');
    expect(() => taskStateOf('nowhere')).toThrow('not a task state');
  });

  it('names a real state for each emitted event that marks one', () => {
    for (const state of Object.values(STATE_AFTER))
      if (state !== undefined) expect(TASK_STATES).toContain(state);
  });
});
