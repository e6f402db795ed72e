import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { startSystem } from '../support/system-harness.js';

describe('inspection', () => {
  it('shows the whole actor tree with readable ids: supervisor, agents, tasks in their agent’s lane', async () => {
    const seen: InspectionEvent[] = [];
    const { system } = startSystem({
      inspect: (e) => seen.push(e),
      agents: [{ supervisor: 'pool', children: [{ id: 'resizer', handler: async () => 'ok' }] }],
    });
    await (await system.submit({ id: 'job-1', type: 'resize' })).result();
    const parents = new Map(
      seen
        .filter((e) => e.type === '@xstate.actor')
        .map((e) => {
          const ref = e.actorRef as unknown as { id: string; _parent?: { id: string } };
          return [ref.id, ref._parent?.id];
        }),
    );
    expect(parents.get('supervisor:root')).toBeUndefined();
    expect(parents.get('supervisor:pool')).toBe('supervisor:root');
    expect(parents.get('agent:resizer')).toBe('supervisor:pool');
    // A task's actor links to its agent through the agent's task lane, which keeps the
    // task's exit events (typed by the task's id) away from the long-lived agent machine.
    const task = seen.find(
      (e) =>
        e.type === '@xstate.actor' && (e.actorRef as unknown as { id: string }).id === 'task:job-1',
    )?.actorRef as unknown as { _parent?: { id: string; _parent?: { id: string } } };
    expect(task._parent?.id).toBe('tasks');
    expect(task._parent?._parent?.id).toBe('agent:resizer');
    const taskStates = seen
      .filter(
        (e) =>
          e.type === '@xstate.snapshot' &&
          (e.actorRef as unknown as { id: string }).id === 'task:job-1',
      )
      .map((e) =>
        JSON.stringify((e as unknown as { snapshot: { value: unknown } }).snapshot.value),
      );
    expect(taskStates).toEqual(
      expect.arrayContaining(['"assigned"', '{"running":"untimed"}', '"completed"']),
    );
  });
});
