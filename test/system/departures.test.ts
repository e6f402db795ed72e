// Agents that leave for good (temporary children that exit, removed agents): work that no
// agent left can run fails with NoCapableAgent instead of waiting forever in silence.
import { describe, expect, it } from 'vitest';
import { AgentCrash } from '../../src/index.js';
import { deferred, settle, startSystem } from '../support/system-harness.js';

describe('an agent that leaves for good', () => {
  it('fails the queued and retried work only it could run, and refuses new such work', async () => {
    const gate = deferred();
    const { system, advance, of } = startSystem({
      agents: [
        {
          id: 'gpu',
          capabilities: ['gpu'],
          restart: 'temporary',
          handler: async () => {
            await gate.promise;
            throw new AgentCrash('driver lost');
          },
        },
        { id: 'cpu', capabilities: ['cpu'], handler: async () => 'ok' },
      ],
    });
    const running = await system.submit({ id: 'render', type: 'r', capabilities: ['gpu'] });
    const queued = await system.submit({ id: 'render-2', type: 'r', capabilities: ['gpu'] });
    await settle();
    gate.resolve();
    await advance(5_000);
    for (const handle of [running, queued]) {
      expect(system.task(handle.id).state).toBe('failed');
      expect(system.task(handle.id).error).toMatchObject({
        code: 'NoCapableAgent',
        details: { capabilities: ['gpu'] },
      });
    }
    expect(
      of('task.failed')
        .map((e) => e.taskId)
        .sort(),
    ).toEqual(['render', 'render-2']);
    await expect(
      system.submit({ id: 'render-3', type: 'r', capabilities: ['gpu'] }),
    ).rejects.toMatchObject({ code: 'NoCapableAgent' });
    // Work another agent can run is untouched.
    await expect(
      (await system.submit({ type: 'c', capabilities: ['cpu'] })).result(),
    ).resolves.toBe('ok');
  });

  it('keeps such work pending under unmatchedCapability: keep-pending', async () => {
    const { system } = startSystem({
      unmatchedCapability: 'keep-pending',
      agents: [{ id: 'gpu', capabilities: ['gpu'], handler: async () => 'ok' }],
    });
    system.removeAgent('gpu');
    const handle = await system.submit({ type: 'r', capabilities: ['gpu'] });
    expect(system.task(handle.id).state).toBe('ready');
  });

  it('fails the queued work of a removed agent that no other agent can run', async () => {
    const gate = deferred();
    const { system } = startSystem({
      agents: [
        { id: 'busy', capabilities: ['x'], handler: () => gate.promise },
        { id: 'gpu', capabilities: ['gpu'], concurrency: 1, handler: () => gate.promise },
      ],
    });
    await system.submit({ id: 'g1', type: 'r', capabilities: ['gpu'] });
    await system.submit({ id: 'g2', type: 'r', capabilities: ['gpu'] });
    await settle();
    system.removeAgent('gpu');
    await settle();
    expect(system.task('g2')).toMatchObject({
      state: 'failed',
      error: { code: 'NoCapableAgent' },
    });
    gate.resolve();
  });
});
