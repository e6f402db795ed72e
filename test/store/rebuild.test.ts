import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidStoreRecord, StoreClosed, TaskAlreadyTerminal } from '../../src/errors/index.js';
import { STORE_RECORD_VERSION } from '../../src/store/store-records.js';
import { moved, specOf, storeKinds, submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

const lost = {
  kind: 'agent-lost',
  code: 'AgentLost',
  message: 'agent:2 stopped answering',
} as const;

describe.each(storeKinds(dir))('rebuilding from $kind', ({ open }) => {
  it('gives every task in submission order with its latest state and attempts', async () => {
    const store = await open();
    store.appendTask(submitted('first', 1));
    store.appendTask(submitted('second', 2, { dependsOn: ['first'] }));
    store.appendTask(submitted('third', 3));
    store.appendTask(submitted('fourth', 4));
    store.appendTask(submitted('fifth', 5));
    store.appendTask(moved('third', 'running', 1, 6, 'agent:1'));
    store.appendTask(moved('first', 'running', 1, 7, 'agent:2'));
    store.appendTask({
      kind: 'task.transition',
      taskId: 'first',
      state: 'retrying',
      attempt: 1,
      at: 8,
      retryAt: 1_008,
      error: lost,
    });
    store.appendTask({
      kind: 'task.completed',
      taskId: 'third',
      attempt: 1,
      at: 9,
      output: [1, 2],
    });
    store.appendTask({
      kind: 'task.cancelled',
      taskId: 'fourth',
      attempt: 0,
      at: 10,
      reason: 'user',
    });
    store.appendTask({ kind: 'task.failed', taskId: 'fifth', attempt: 0, at: 11, error: lost });

    const { tasks } = store.load(11);
    expect(tasks.map((t) => [t.taskId, t.state, t.attempt])).toEqual([
      ['first', 'retrying', 1],
      ['second', 'blocked', 0],
      ['third', 'completed', 1],
      ['fourth', 'cancelled', 0],
      ['fifth', 'failed', 0],
    ]);
    expect(tasks.map((t) => t.seq)).toEqual([...tasks.map((t) => t.seq)].sort((a, b) => a - b));
    expect(tasks[0]).toMatchObject({ retryAt: 1_008, error: lost, agentId: undefined });
    expect(tasks[1]).toMatchObject({
      submittedAt: 2,
      spec: specOf('second', { dependsOn: ['first'] }),
    });
    expect(tasks[2]).toMatchObject({ output: [1, 2], finishedAt: 9, agentId: undefined });
    expect(tasks[3]).toMatchObject({ reason: 'user', finishedAt: 10 });
    expect(tasks[4]).toMatchObject({ error: lost, finishedAt: 11 });
  });

  it('keeps a task’s history in order, each record stamped with the schema version', async () => {
    const store = await open();
    store.appendTask(submitted('a', 1));
    store.appendTask(moved('a', 'assigned', 0, 2, 'agent:1'));
    store.appendTask(moved('a', 'running', 1, 3, 'agent:1'));
    store.appendTask({ kind: 'task.completed', taskId: 'a', attempt: 1, at: 4, output: 'done' });
    const history = store.history('a');
    expect(history.map((r) => r.kind)).toEqual([
      'task.submitted',
      'task.transition',
      'task.transition',
      'task.completed',
    ]);
    expect(history.every((r) => r.v === STORE_RECORD_VERSION)).toBe(true);
    expect(history[2]).toMatchObject({ state: 'running', attempt: 1, agentId: 'agent:1', at: 3 });
    expect(store.history('nobody')).toEqual([]);
  });

  it('holds one terminal record per task: anything after it is refused and changes nothing', async () => {
    const store = await open();
    store.appendTask(submitted('a', 1));
    store.appendTask({ kind: 'task.cancelled', taskId: 'a', attempt: 0, at: 2, reason: 'user' });
    const late = { kind: 'task.completed', taskId: 'a', attempt: 1, at: 3, output: 1 } as const;
    expect(() => store.appendTask(late)).toThrow(TaskAlreadyTerminal);
    expect(() => store.appendTask(moved('a', 'ready', 1, 3))).toThrow(
      'task a is already cancelled in the store; task.transition refused',
    );
    expect(store.load(3).tasks[0]).toMatchObject({ state: 'cancelled', output: undefined });
    expect(store.history('a')).toHaveLength(2);
  });

  it('refuses a second submission, a record for an unknown task, and a malformed record', async () => {
    const store = await open();
    store.appendTask(submitted('a', 1));
    expect(() => store.appendTask(submitted('a', 2))).toThrow(
      new InvalidStoreRecord('a', 'the task was already submitted'),
    );
    expect(() => store.appendTask(moved('ghost', 'ready', 0, 2))).toThrow(
      new InvalidStoreRecord('ghost', 'task.transition for a task never submitted'),
    );
    const malformed = { ...moved('a', 'running', 1, 2), attempt: 'one' } as never;
    expect(() => store.appendTask(malformed)).toThrow(
      new InvalidStoreRecord('a', 'attempt must be a number'),
    );
    const badState = { ...moved('a', 'running', 1, 2), state: 'completed' } as never;
    expect(() => store.appendTask(badState)).toThrow(/state must be one of blocked, ready/);
    expect(store.history('a')).toHaveLength(1);
  });

  it('stores the spec as data: the output schema and unknown fields are left out', async () => {
    const store = await open();
    const spec = { ...specOf('a'), outputSchema: z.object({ ok: z.boolean() }), extra: 1 };
    store.appendTask({ kind: 'task.submitted', taskId: 'a', at: 1, spec });
    expect(store.load(1).tasks[0]?.spec).toEqual(specOf('a'));
    expect(store.load(1).tasks[0]?.spec).not.toHaveProperty('outputSchema');
  });

  it('gives each agent’s latest record, the most recently changed last', async () => {
    const store = await open();
    const registered = { capabilities: ['gpu'], resources: { gpu: 1 }, slots: 2 };
    store.appendAgent({ kind: 'agent.registered', agentId: 'agent:1', at: 1, ...registered });
    store.appendAgent({ kind: 'agent.registered', agentId: 'agent:2', at: 2, ...registered });
    store.appendAgent({ kind: 'agent.lost', agentId: 'agent:1', at: 3, reason: 'heartbeat' });
    expect(store.load(3).agents).toEqual([
      expect.objectContaining({ kind: 'agent.registered', agentId: 'agent:2', v: 1 }),
      expect.objectContaining({ kind: 'agent.lost', agentId: 'agent:1', reason: 'heartbeat' }),
    ]);
  });

  it('refuses every call once closed, naming the call', async () => {
    const store = await open();
    store.appendTask(submitted('a', 1));
    await store.close();
    await store.close();
    expect(() => store.load(1)).toThrow(new StoreClosed('load'));
    expect(() => store.appendTask(submitted('b', 2))).toThrow(StoreClosed);
    await expect(store.flush()).resolves.toBeUndefined();
  });
});
