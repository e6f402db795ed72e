// The system actions the dashboard's buttons call: pause and resume dispatch, and drain one
// agent through its supervisor (it finishes its work, takes no more, leaves, is not restarted).
import { describe, expect, it } from 'vitest';
import { SystemNotRunning, UnknownAgent } from '../../src/errors/index.js';
import { createSystem } from '../../src/system/create-system.js';
import { demoFixture } from './fixtures/demo-system.js';

describe('pausing dispatch', () => {
  it('starts nothing new while paused, lets running work finish, and dispatches again on resume', async () => {
    const f = demoFixture();
    const running = await f.system.submit({
      type: 'hold',
      capabilities: ['io'],
      input: { holdMs: 100 },
    });
    await f.advance(20);
    expect(running.status().state).toBe('running');
    f.system.pauseDispatch();
    expect(f.system.dispatchPaused).toBe(true);
    const waiting = await f.system.submit({ type: 'later', capabilities: ['io'] });
    await f.advance(500);
    expect(running.status().state).toBe('completed');
    expect(waiting.status().state).toBe('ready');
    f.system.resumeDispatch();
    expect(f.system.dispatchPaused).toBe(false);
    await f.advance(500);
    expect(waiting.status().state).toBe('completed');
    await f.stop();
  });

  it('is refused before the system started', () => {
    const system = createSystem({ agents: [{ id: 'a', handler: () => 1 }] });
    expect(() => system.pauseDispatch()).toThrow(SystemNotRunning);
    expect(() => system.resumeDispatch()).toThrow(SystemNotRunning);
  });
});

describe('draining an agent', () => {
  it('lets it finish its task, gives it no new one, and removes it without a restart', async () => {
    const f = demoFixture();
    const removed: string[] = [];
    f.system.on('agent.removed', (e) => removed.push(e.agentId));
    const first = await f.system.submit({
      type: 'hold',
      capabilities: ['io'],
      input: { holdMs: 200 },
    });
    await f.advance(20);
    expect(first.status()).toMatchObject({ state: 'running', agentId: 'io' });
    let drained = false;
    const draining = f.system.drainAgent('io').then(() => {
      drained = true;
    });
    expect(f.system.agents().find((a) => a.id === 'io')?.state).toBe('draining');
    const second = await f.system.submit({ type: 'next', capabilities: ['io'] });
    await f.advance(100);
    expect(second.status().state).toBe('ready');
    expect(drained).toBe(false);
    await f.advance(200);
    await draining;
    expect(first.status().state).toBe('completed');
    expect(removed).toEqual(['io']);
    expect(f.system.agents().find((a) => a.id === 'io')?.state).toBe('lost');
    // No agent left can run it: it fails, naming the capability.
    expect(second.status()).toMatchObject({ state: 'failed', error: { code: 'NoCapableAgent' } });
    expect(f.system.stats().restarts).toBe(0);
    await f.stop();
  });

  it('drains several agents of one supervisor at once without using up its restart intensity', async () => {
    const f = demoFixture();
    await Promise.all(['cpu-1', 'cpu-2', 'cpu-3'].map((id) => f.system.drainAgent(id)));
    expect(f.system.metrics().escalations).toBe(0);
    expect(f.system.stats().restarts).toBe(0);
    expect(f.system.phase).toBe('running');
    const { id } = await f.system.submit({ type: 'resize', capabilities: ['cpu'] });
    await f.advance(500);
    expect(f.system.task(id).state).toBe('completed');
    await f.stop();
  });

  it('refuses an id no live agent has, naming it', async () => {
    const f = demoFixture();
    expect(() => f.system.drainAgent('nobody')).toThrow(UnknownAgent);
    await f.system.drainAgent('cpu-1');
    expect(() => f.system.drainAgent('cpu-1')).toThrow(/cpu-1/);
    await f.stop();
  });
});
