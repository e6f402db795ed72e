// The Stately inspector over WebSocket, without internet: @statelyai/inspect's local
// inspector server on loopback, a client standing in for the inspector UI, and a system
// whose inspector is connected to that server.
import { afterEach, describe, expect, it } from 'vitest';
import { connectInspector, InspectorUnreachable } from '../../src/index.js';
import { freePort, localInspector, type Received } from '../support/inspector-client.js';
import { advanceClock, startSystem } from '../support/system-harness.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

describe('Stately inspector over WebSocket', () => {
  it('receives the actor tree (supervisor, agents, tasks) and snapshots of a small run', async () => {
    const { url, ui, close } = await localInspector();
    cleanup.push(close);
    const inspector = await connectInspector(url);

    const { system, clock } = startSystem({
      inspect: inspector.inspect,
      agents: [{ supervisor: 'pool', children: [{ id: 'resizer', handler: async () => 'ok' }] }],
    });
    const handles = await system.submitMany([
      { id: 'job-1', type: 'resize' },
      { id: 'job-2', type: 'resize' },
    ]);
    await advanceClock(clock, 100);
    expect(await Promise.all(handles.map((h) => h.result()))).toEqual(['ok', 'ok']);
    await inspector.close();

    const isCompleted = (r: Received, name: string) =>
      r.type === '@xstate.snapshot' &&
      r.snapshot?.value === 'completed' &&
      ui.received.some(
        (a) => a.type === '@xstate.actor' && a.name === name && a.sessionId === r.sessionId,
      );
    await ui.waitFor((all) => all.some((r) => isCompleted(r, 'task:job-2')));

    const actors = new Map(
      ui.received.filter((r) => r.type === '@xstate.actor').map((r) => [r.sessionId, r]),
    );
    const nameOf = (sessionId: string | undefined) =>
      sessionId === undefined ? undefined : actors.get(sessionId)?.name;
    const tree = new Map([...actors.values()].map((a) => [a.name, nameOf(a.parentId)]));
    expect(tree.get('supervisor:root')).toBeUndefined();
    expect(tree.has('supervisor:root')).toBe(true);
    expect(tree.get('supervisor:pool')).toBe('supervisor:root');
    expect(tree.get('agent:resizer')).toBe('supervisor:pool');
    // Tasks stand in their agent's lane (`tasks`), which stands under the agent.
    const laneOf = (task: string) => [...actors.values()].find((a) => a.name === task)?.parentId;
    for (const task of ['task:job-1', 'task:job-2']) {
      const lane = actors.get(laneOf(task) ?? '');
      expect(lane?.name).toBe('tasks');
      expect(nameOf(lane?.parentId)).toBe('agent:resizer');
    }

    const job1 = [...actors.values()].find((a) => a.name === 'task:job-1')?.sessionId;
    const job1States = ui.received
      .filter((r) => r.type === '@xstate.snapshot' && r.sessionId === job1)
      .map((r) => r.snapshot?.value);
    expect(job1States).toEqual(
      expect.arrayContaining(['assigned', { running: 'untimed' }, 'completed']),
    );
    expect(ui.received.some((r) => r.type === '@xstate.event')).toBe(true);
    await system.stop({ timeoutMs: 0 });
  });

  it('names the address when no inspector server answers', async () => {
    const port = await freePort();
    const error = await connectInspector(`ws://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InspectorUnreachable);
    expect((error as InspectorUnreachable).message).toContain(`ws://127.0.0.1:${port}`);
  });
});
