// Thread agents on the real clock: each test waits only for results and events, bounded by
// the test timeout.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type AgentDeclaration,
  createSystem,
  InvalidAgentDeclaration,
  type OverseerEvent,
} from '../../src/index.js';

const module = fileURLToPath(new URL('./fixtures/thread-handlers.ts', import.meta.url));

function threadSystem(agents: readonly AgentDeclaration[]) {
  const system = createSystem({
    // Long enough for a thread to boot on a loaded machine; a spinning one is caught in 2 s.
    heartbeatTimeoutMs: 2_000,
    heartbeatIntervalMs: 50,
    restartBackoff: { kind: 'fixed', delayMs: 10 },
    retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
    agents,
  });
  const events: OverseerEvent[] = [];
  system.on('*', (e) => events.push(e));
  return { system: system.start(), events };
}

describe.each(['thread', 'process'] as const)('agents in a %s of their own', (runs) => {
  it('run a handler exported by a module, with progress and logs crossing back', async () => {
    const { system, events } = threadSystem([{ id: 'doubler', runs, module }]);
    const handle = await system.submit({ type: 'double', input: 21 });
    expect(await handle.result()).toBe(42);
    expect(events.find((e) => e.type === 'task.progress')).toMatchObject({
      progress: 0.5,
      note: 'halfway',
    });
    expect(events.find((e) => e.type === 'task.log')).toMatchObject({
      message: 'doubling',
      fields: { n: 21 },
    });
    await system.stop({ timeoutMs: 0 });
  });

  it('go online only once their side is up, so booting costs a task no time', async () => {
    const { system, events } = threadSystem([{ id: 'doubler', runs, module }]);
    // Right after start the thread or process is still loading the module.
    expect(system.agents()[0]?.state).toBe('starting');
    expect(events.some((e) => e.type === 'agent.registered')).toBe(false);
    const handle = await system.submit({ type: 'double', input: 4, timeoutMs: 100 });
    expect(await handle.result()).toBe(8);
    expect(system.task(handle.id).attempts).toBe(1);
    await system.stop({ timeoutMs: 1_000 });
  });

  it('kill one stuck in a busy loop when its heartbeats stop, and run its task again on a fresh one', async () => {
    const { system, events } = threadSystem([
      { id: 'spinner', runs, module, exportName: 'spinOnce' },
    ]);
    const handle = await system.submit({ type: 'work', input: 'job' });
    expect(await handle.result()).toBe('job on attempt 2');
    const types = events.map((e) => e.type);
    expect(types).toContain('agent.unresponsive');
    expect(events.find((e) => e.type === 'agent.restarted')).toMatchObject({ agentId: 'spinner' });
    await system.stop({ timeoutMs: 0 });
  });

  it('fail an agent that exceeds its heap limit, naming the limit, while other agents keep serving', async () => {
    const { system, events } = threadSystem([
      {
        id: 'hog',
        runs,
        module,
        exportName: 'hog',
        maxHeapMb: 48,
        capabilities: ['hog'],
      },
      { id: 'inline', handler: async (n: number) => n + 1 },
    ]);
    const hog = await system.submit({
      type: 'hog',
      capabilities: ['hog'],
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 1 } },
    });
    const others = await system.submitMany(
      Array.from({ length: 20 }, (_, i) => ({ type: 'inc', input: i })),
    );
    const failure = await hog.result().catch((e: unknown) => e);
    expect(failure).toMatchObject({ error: { code: 'AgentLost' } });
    expect(events.find((e) => e.type === 'agent.failed' && e.agentId === 'hog')).toMatchObject({
      exit: {
        kind: 'abnormal',
        message: expect.stringMatching(
          runs === 'thread' ? /heap limit \(maxHeapMb 48\)/ : /memory ceiling \(maxHeapMb 48\)/,
        ),
      },
    });
    expect(await Promise.all(others.map((h) => h.result()))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    await system.stop({ timeoutMs: 0 });
  });

  it('carry a cancel across the boundary: the handler sees its signal, the agent lives on', async () => {
    const { system, events } = threadSystem([
      { id: 'waiter', runs, module, exportName: 'waitForAbort' },
    ]);
    const started = (taskId: string) =>
      events.some((e) => e.type === 'task.started' && e.taskId === taskId);
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        if (done()) return resolve();
        const off = system.on('*', () => {
          if (!done()) return;
          off();
          resolve();
        });
      });
    const waiting = await system.submit({ id: 'first', type: 'wait' });
    await until(() => started('first'));
    waiting.cancel('no longer needed');
    await expect(waiting.result()).rejects.toMatchObject({ code: 'TaskCancelled' });
    // The slot comes back when the handler honours its signal: no restart was needed.
    const next = await system.submit({ id: 'second', type: 'wait' });
    await until(() => started('second'));
    expect(events.some((e) => e.type === 'agent.restarted')).toBe(false);
    next.cancel();
    await system.stop({ timeoutMs: 1_000 });
  });

  it(`run each replica in its own ${runs}`, async () => {
    const { system, events } = threadSystem([
      { id: 'pool', runs, module, exportName: 'whereAmI', replicas: 2, concurrency: 1 },
    ]);
    // Both sides up first: the first to boot would otherwise take both quick tasks.
    await new Promise<void>((resolve) => {
      let registered = events.filter((e) => e.type === 'agent.registered').length;
      if (registered === 2) return resolve();
      const off = system.on('agent.registered', () => {
        if (++registered < 2) return;
        off();
        resolve();
      });
    });
    const handles = await system.submitMany([{ type: 'where' }, { type: 'where' }]);
    const places = await Promise.all(handles.map((h) => h.result()));
    expect(new Set(places).size).toBe(2);
    expect(new Set(system.agents().map((a) => a.id))).toEqual(new Set(['pool-1', 'pool-2']));
    await system.stop({ timeoutMs: 0 });
  });

  it('treat a message outside the protocol as a broken agent, never a broken supervisor', async () => {
    const { system, events } = threadSystem([{ id: 'rogue', runs, module, exportName: 'garbage' }]);
    const handle = await system.submit({
      type: 'x',
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 1 } },
    });
    const failure = await handle.result().catch((e: unknown) => e);
    expect(failure).toMatchObject({ error: { code: 'AgentLost' } });
    const failed = events.filter((e) => e.type === 'agent.failed');
    expect(failed).toHaveLength(2);
    for (const e of failed)
      expect(e).toMatchObject({
        exit: {
          message: expect.stringMatching(/broke the protocol: unknown message type "exfiltrate"/),
        },
      });
    expect(system.phase).toBe('running');
    await system.stop({ timeoutMs: 0 });
  });

  it('refuse a thread agent without a module, or with an inline handler, naming the field', () => {
    expect(() => createSystem({ agents: [{ id: 't', runs: 'thread' }] })).toThrow(
      InvalidAgentDeclaration,
    );
    expect(() => createSystem({ agents: [{ id: 't', runs: 'thread' }] })).toThrow(
      /agents\[0\]\.module/,
    );
    expect(() =>
      createSystem({ agents: [{ id: 't', runs: 'thread', module, handler: async () => 1 }] }),
    ).toThrow(/agents\[0\]\.handler/);
    expect(() => createSystem({ agents: [{ id: 't', runs: 'process' }] })).toThrow(
      /agents\[0\]\.module/,
    );
    expect(() => createSystem({ agents: [{ id: 't', module, handler: async () => 1 }] })).toThrow(
      /agents\[0\]\.module/,
    );
  });
});
