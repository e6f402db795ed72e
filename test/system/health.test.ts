import { describe, expect, it } from 'vitest';
import { AgentCrash } from '../../src/index.js';
import { settle, startSystem } from '../support/system-harness.js';

describe('agent health', () => {
  it('marks a silent agent unresponsive, reschedules its task and restarts it', async () => {
    let calls = 0;
    const { system, advance, of } = startSystem({
      heartbeatTimeoutMs: 1_000,
      heartbeatIntervalMs: 200,
      restartBackoff: { kind: 'fixed', delayMs: 100 },
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
      agents: [
        {
          id: 'stuck',
          heartbeat: 'manual',
          // The first attempt hangs without heartbeating; the second succeeds.
          handler: (_i, ctx) =>
            ++calls === 1 ? new Promise(() => undefined) : Promise.resolve(ctx.attempt),
        },
      ],
    });
    const handle = await system.submit({ type: 'work' });
    await advance(999);
    expect(of('agent.unresponsive')).toEqual([]);
    await advance(1);
    expect(of('agent.unresponsive')).toMatchObject([
      { agentId: 'stuck', tasks: [handle.id], at: 1_000 },
    ]);
    expect(of('agent.failed')).toMatchObject([
      { agentId: 'stuck', exit: { reason: 'unresponsive' } },
    ]);
    expect(of('task.retrying')).toMatchObject([
      { taskId: handle.id, error: { kind: 'agent-lost' } },
    ]);
    expect(of('agent.restarted')).toMatchObject([{ agentId: 'stuck', supervisorId: 'root' }]);
    await advance(100);
    await expect(handle.result()).resolves.toBe(2);
  });

  it('keeps a busy auto-heartbeat agent alive however long its handler runs', async () => {
    const { system, advance, of } = startSystem({
      heartbeatTimeoutMs: 1_000,
      heartbeatIntervalMs: 300,
      agents: [
        {
          id: 'long',
          handler: (_i, ctx) =>
            new Promise((resolve) => ctx.signal.addEventListener('abort', resolve)),
        },
      ],
    });
    await system.submit({ type: 'work' });
    for (let i = 0; i < 20; i++) await advance(500);
    expect(of('agent.unresponsive')).toEqual([]);
  });

  it('restarts an agent whose handler throws AgentCrash, and reruns the task elsewhere', async () => {
    let calls = 0;
    const { system, of, advance } = startSystem({
      restartBackoff: { kind: 'fixed', delayMs: 0 },
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 1 } },
      agents: [
        {
          id: 'db',
          handler: async () => {
            if (++calls === 1) throw new AgentCrash('connection pool corrupted');
            return 'ok';
          },
        },
      ],
    });
    const handle = await system.submit({ type: 'query' });
    await settle();
    expect(of('agent.failed')).toMatchObject([
      { agentId: 'db', exit: { reason: 'crash', message: 'connection pool corrupted' } },
    ]);
    await advance(1);
    await expect(handle.result()).resolves.toBe('ok');
    expect(system.agents()).toMatchObject([{ id: 'db', restarts: 1 }]);
  });
});
