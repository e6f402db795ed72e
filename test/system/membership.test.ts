import { describe, expect, it } from 'vitest';
import { InvalidAgentDeclaration, UnknownAgent } from '../../src/index.js';
import { deferred, settle, startSystem } from '../support/system-harness.js';

describe('agents joining and leaving', () => {
  it('a task waiting for a capability runs once an agent offering it joins', async () => {
    const { system, of } = startSystem({
      agents: [{ id: 'cpu', capabilities: ['cpu'], handler: async () => 'cpu' }],
      unmatchedCapability: 'keep-pending',
    });
    const handle = await system.submit({ type: 'render', capabilities: ['gpu'] });
    expect(system.task(handle.id).state).toBe('ready');
    expect(
      system.addAgent({ id: 'gpu', capabilities: ['gpu'], handler: async () => 'gpu' }),
    ).toEqual(['gpu']);
    await expect(handle.result()).resolves.toBe('gpu');
    expect(of('agent.registered').map((e) => e.agentId)).toEqual(['cpu', 'gpu']);
  });

  it('after a join, tasks needing the new capability are accepted', async () => {
    const { system } = startSystem({
      agents: [{ id: 'cpu', capabilities: ['cpu'], handler: async () => 1 }],
    });
    await expect(system.submit({ type: 'x', capabilities: ['gpu'] })).rejects.toMatchObject({
      code: 'NoCapableAgent',
    });
    system.addAgent({ id: 'gpu', capabilities: ['gpu'], handler: async () => 1 });
    await expect(system.submit({ type: 'x', capabilities: ['gpu'] })).resolves.toBeDefined();
  });

  it('a leaving agent’s task is rescheduled on another', async () => {
    const gate = deferred<string>();
    const { system, advance } = startSystem({
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 1 } },
      agents: [{ id: 'a', handler: () => gate.promise }],
    });
    const handle = await system.submit({ type: 'x' });
    system.addAgent({ id: 'b', handler: async (_i, ctx) => ctx.agentId });
    system.removeAgent('a');
    await advance(1);
    await expect(handle.result()).resolves.toBe('b');
    expect(system.agents().map((a) => a.id)).toEqual(['b']);
    gate.resolve('late');
    await settle();
    expect(system.task(handle.id).output).toBe('b');
  });

  it('refuses a duplicate or unknown agent id', () => {
    const { system } = startSystem({ agents: [{ id: 'a', handler: async () => 1 }] });
    expect(() => system.addAgent({ id: 'a', handler: async () => 1 })).toThrow(
      InvalidAgentDeclaration,
    );
    expect(() => system.removeAgent('zz')).toThrow(UnknownAgent);
  });
});
