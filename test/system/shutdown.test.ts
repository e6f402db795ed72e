// Shutdown goes through the supervisors: each stops its children one at a time in reverse
// start order, each within its shutdownTimeoutMs; an attempt stopped by a shutdown is not
// a failure and spends no attempt.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/index.js';
import { advanceClock, deferred, settle, startSystem } from '../support/system-harness.js';

/** A handler that runs until its signal fires, recording when and why it was aborted. */
const untilAborted =
  (aborted: { id: string; at: number; why: string }[], now: () => number) =>
  (_input: unknown, ctx: { signal: AbortSignal; agentId: string }) =>
    new Promise((_, reject) => {
      ctx.signal.addEventListener('abort', () => {
        aborted.push({ id: ctx.agentId, at: now(), why: String(ctx.signal.reason) });
        reject(ctx.signal.reason);
      });
    });

describe('shutdown through the supervisors', () => {
  it('stops agents in reverse start order, each within its own shutdownTimeoutMs', async () => {
    const aborted: { id: string; at: number; why: string }[] = [];
    let now = () => 0;
    const handler = untilAborted(aborted, () => now());
    const { system, clock } = startSystem({
      agents: [
        { id: 'first', shutdownTimeoutMs: 300, handler },
        { id: 'second', shutdownTimeoutMs: 200, handler },
        { id: 'third', shutdownTimeoutMs: 100, handler },
      ],
    });
    now = () => clock.now();
    for (let i = 0; i < 3; i++) await system.submit({ type: 'forever' });
    await settle();
    const stopped = system.stop({ timeoutMs: 10_000 });
    await advanceClock(clock, 1_000);
    await stopped;
    // Last started goes first, and each gets its own timeout, one after the other.
    expect(aborted.map((a) => [a.id, a.at])).toEqual([
      ['third', 100],
      ['second', 300],
      ['first', 600],
    ]);
    expect(aborted.every((a) => a.why.includes('shutdown'))).toBe(true);
  });

  it('honours an agent’s shutdownTimeoutMs rather than stop()’s overall timeout', async () => {
    const aborted: { id: string; at: number; why: string }[] = [];
    let now = () => 0;
    const { system, clock } = startSystem({
      agents: [{ id: 'w', shutdownTimeoutMs: 100, handler: untilAborted(aborted, () => now()) }],
    });
    now = () => clock.now();
    await system.submit({ type: 'forever' });
    await settle();
    const stopped = system.stop();
    await advanceClock(clock, 200);
    await stopped;
    expect(aborted).toEqual([{ id: 'w', at: 100, why: expect.stringContaining('shutdown') }]);
  });

  it('lets an agent finish what it runs within its shutdownTimeoutMs', async () => {
    const gate = deferred<string>();
    const { system, clock, of } = startSystem({
      agents: [{ id: 'w', shutdownTimeoutMs: 1_000, handler: () => gate.promise }],
    });
    const handle = await system.submit({ type: 'slow' });
    await settle();
    const drained = system.drain();
    await advanceClock(clock, 500);
    gate.resolve('done');
    await drained;
    expect(await handle.result()).toBe('done');
    expect(of('system.drained')).toHaveLength(1);
    expect(system.agents()[0]?.state).toBe('lost');
  });

  it('spends no attempt on a task a shutdown interrupted, even its last', async () => {
    const aborted: { id: string; at: number; why: string }[] = [];
    const { system, clock, of } = startSystem({
      agents: [{ id: 'w', shutdownTimeoutMs: 100, handler: untilAborted(aborted, () => 0) }],
    });
    const handle = await system.submit({
      id: 'last',
      type: 'forever',
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 10 } },
    });
    await settle();
    const stopped = system.stop();
    await advanceClock(clock, 200);
    await stopped;
    expect(system.task(handle.id)).toMatchObject({ state: 'ready', attempts: 0 });
    expect(of('task.failed')).toEqual([]);
    expect(of('task.retrying')).toEqual([]);
    expect(of('task.interrupted')).toEqual([
      expect.objectContaining({ taskId: 'last', agentId: 'w', attempt: 0 }),
    ]);
  });

  it('runs an interrupted task again after a restart on the same store', async () => {
    const store = memoryStore();
    const first = startSystem({
      store,
      agents: [{ id: 'w', shutdownTimeoutMs: 100, handler: untilAborted([], () => 0) }],
    });
    await first.system.submit({
      id: 'job',
      type: 'forever',
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 10 } },
    });
    await settle();
    const stopped = first.system.stop();
    await advanceClock(first.clock, 200);
    await stopped;
    const second = startSystem({ store, agents: [{ id: 'w', handler: async () => 'ran again' }] });
    await advanceClock(second.clock, 10);
    expect(second.system.task('job')).toMatchObject({ state: 'completed', attempts: 1 });
    await second.system.stop();
  });

  it('refuses a submit while draining, as SystemNotRunning', async () => {
    const gate = deferred();
    const { system } = startSystem({ agents: [{ id: 'w', handler: () => gate.promise }] });
    await system.submit({ type: 'slow' });
    await settle();
    const drained = system.drain();
    await expect(system.submit({ type: 'late' })).rejects.toMatchObject({
      code: 'SystemNotRunning',
      phase: 'draining',
    });
    gate.resolve();
    await drained;
  });
});
