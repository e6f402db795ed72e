import { describe, expect, it } from 'vitest';
import { deferred, settle, startSystem } from '../support/system-harness.js';

describe('scheduling', () => {
  it('runs ready tasks in priority order on a single agent, FIFO within a priority', async () => {
    const started: string[] = [];
    const gate = deferred();
    const { system } = startSystem({
      agents: [
        {
          id: 'solo',
          handler: async (input: unknown) => {
            started.push(String(input));
            if (input === 'blocker') await gate.promise;
          },
        },
      ],
    });
    await system.submit({ type: 'work', input: 'blocker' });
    for (const [input, priority] of [
      ['low', 1],
      ['high-a', 9],
      ['mid', 5],
      ['high-b', 9],
      ['zero', 0],
    ] as const) {
      await system.submit({ type: 'work', input, priority });
    }
    gate.resolve();
    for (let i = 0; i < 10; i++) await settle();
    expect(started).toEqual(['blocker', 'high-a', 'high-b', 'mid', 'low', 'zero']);
  });

  it('matches capabilities and resources: a GPU task waits for the GPU agent while CPU agents work', async () => {
    const ranOn: Record<string, string> = {};
    const handler = async (input: unknown, ctx: { agentId: string }) => {
      ranOn[String(input)] = ctx.agentId;
    };
    const { system } = startSystem({
      agents: [
        { id: 'cpu', replicas: 2, capabilities: ['cpu'], handler },
        { id: 'gpu', capabilities: ['cpu', 'gpu'], resources: { vram: 16 }, handler },
      ],
    });
    const handles = await system.submitMany([
      { type: 'train', input: 'train', capabilities: ['gpu'], resources: { vram: 12 } },
      { type: 'resize', input: 'resize', capabilities: ['cpu'] },
    ]);
    await Promise.all(handles.map((h) => h.result()));
    expect(ranOn.train).toBe('gpu');
    expect(ranOn.resize).toMatch(/^cpu-|^gpu$/);
  });

  it('spreads work over the least-loaded agents before doubling up', async () => {
    const gate = deferred();
    const { system } = startSystem({
      agents: [{ id: 'w', replicas: 3, concurrency: 2, handler: () => gate.promise }],
    });
    for (let i = 0; i < 3; i++) await system.submit({ type: 'work' });
    expect(system.agents().map((a) => a.tasks.length)).toEqual([1, 1, 1]);
    await system.submit({ type: 'work' });
    expect(
      system
        .agents()
        .map((a) => a.tasks.length)
        .sort(),
    ).toEqual([1, 1, 2]);
    gate.resolve();
  });

  it('holds a task the agent has no room for until a slot frees', async () => {
    const gate = deferred();
    const { system } = startSystem({ agents: [{ id: 'one', handler: () => gate.promise }] });
    const first = await system.submit({ type: 'work' });
    const second = await system.submit({ type: 'work' });
    expect(system.task(second.id).state).toBe('ready');
    gate.resolve();
    await first.result();
    await settle();
    expect(['running', 'completed']).toContain(system.task(second.id).state);
  });

  it('hands a freed slot straight to the next queued task: the agent stays busy between them', async () => {
    const { system, of } = startSystem({ agents: [{ id: 'w', handler: async () => 'ok' }] });
    const handles = await system.submitMany([{ type: 'a' }, { type: 'b' }, { type: 'c' }]);
    await Promise.all(handles.map((h) => h.result()));
    expect(of('agent.busy')).toHaveLength(1);
    expect(of('agent.idle')).toHaveLength(1);
    expect(of('task.completed')).toHaveLength(3);
    expect(system.agents()[0]).toMatchObject({ state: 'idle', tasks: [] });
  });
});
