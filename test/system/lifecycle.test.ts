import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { TaskCancelled } from '../../src/index.js';
import { deferred, settle, startSystem } from '../support/system-harness.js';

describe('cancellation', () => {
  it('reaches the running handler through its AbortSignal', async () => {
    const seen: unknown[] = [];
    const { system } = startSystem({
      agents: [
        {
          id: 'w',
          handler: (_i, ctx) =>
            new Promise((_r, reject) =>
              ctx.signal.addEventListener('abort', () => {
                seen.push(ctx.signal.reason);
                reject(ctx.signal.reason);
              }),
            ),
        },
      ],
    });
    const handle = await system.submit({ type: 'crawl' });
    handle.cancel('user changed their mind');
    expect(seen).toMatchObject([{ why: 'cancelled' }]);
    await expect(handle.result()).rejects.toBeInstanceOf(TaskCancelled);
    await settle();
    expect(system.agents()).toMatchObject([{ id: 'w', state: 'idle', tasks: [] }]);
  });

  it('abandons a handler that ignores its signal and restarts its agent after the grace period', async () => {
    const { system, advance, of } = startSystem({
      abortGraceMs: 2_000,
      agents: [{ id: 'deaf', handler: () => new Promise(() => undefined) }],
    });
    const handle = await system.submit({ type: 'crawl' });
    system.cancel(handle.id);
    await advance(1_999);
    expect(of('agent.failed')).toEqual([]);
    await advance(1);
    expect(of('agent.failed')).toMatchObject([{ agentId: 'deaf', exit: { reason: 'crash' } }]);
    expect(of('agent.failed')[0]?.exit.message).toContain('ignored its abort signal for 2000 ms');
  });

  it('cancels a queued task without running it', async () => {
    const gate = deferred();
    let runs = 0;
    const { system } = startSystem({
      agents: [
        {
          id: 'w',
          handler: () => {
            runs++;
            return gate.promise;
          },
        },
      ],
    });
    await system.submit({ type: 'blocker' });
    const queued = await system.submit({ type: 'later' });
    system.cancel(queued.id, 'not needed');
    gate.resolve();
    await settle();
    expect(system.task(queued.id).state).toBe('cancelled');
    expect(runs).toBe(1);
  });
});

describe('agents as XState machines', () => {
  it('runs actor logic per task, its output becoming the task output', async () => {
    const doubler = createMachine({
      types: {} as { input: number; context: { n: number }; output: number },
      context: ({ input }) => ({ n: input * 2 }),
      initial: 'done',
      states: { done: { type: 'final' } },
      output: ({ context }) => context.n,
    });
    const { system } = startSystem({ agents: [{ id: 'm', logic: doubler }] });
    const handle = await system.submit({ type: 'double', input: 21 });
    await expect(handle.result()).resolves.toBe(42);
  });
});

describe('drain and stop', () => {
  it('drain stops handing out tasks, lets running ones finish, and keeps the rest queued', async () => {
    const gate = deferred();
    const { system, of } = startSystem({ agents: [{ id: 'w', handler: () => gate.promise }] });
    const running = await system.submit({ type: 'a' });
    const queued = await system.submit({ type: 'b' });
    const drained = system.drain();
    gate.resolve();
    await drained;
    expect(system.task(running.id).state).toBe('completed');
    expect(system.task(queued.id).state).toBe('ready');
    expect(of('system.drained')).toHaveLength(1);
  });

  it('stop aborts what still runs after the timeout and rejects results that will not come', async () => {
    const { system, clock } = startSystem({
      agents: [{ id: 'w', handler: () => new Promise(() => undefined) }],
    });
    const handle = await system.submit({ type: 'forever' });
    const result = handle.result().catch((e: unknown) => e);
    const stopped = system.stop({ timeoutMs: 1_000 });
    await settle();
    clock.increment(1_000);
    await stopped;
    expect(system.phase).toBe('stopped');
    expect(await result).toMatchObject({ code: 'SystemNotRunning' });
    await expect(system.submit({ type: 'late' })).rejects.toMatchObject({
      code: 'SystemNotRunning',
    });
    // Asked only after the stop, the result still rejects rather than never settling.
    await expect(handle.result()).rejects.toMatchObject({ code: 'SystemNotRunning' });
  });

  it('keeps the results of tasks that finished before the stop', async () => {
    const { system } = startSystem({ agents: [{ id: 'w', handler: async () => 'done' }] });
    const handle = await system.submit({ type: 'quick' });
    await handle.result();
    await system.stop();
    expect(await handle.result()).toBe('done');
  });

  it('streams events to async iterators until the system stops', async () => {
    const { system } = startSystem({ agents: [{ id: 'w', handler: async () => 1 }] });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of system.events()) seen.push(event.type);
    })();
    await (await system.submit({ id: 'x', type: 'a' })).result();
    await system.stop();
    await reading;
    expect(seen).toEqual(
      expect.arrayContaining([
        'task.submitted',
        'task.started',
        'task.completed',
        'system.drained',
      ]),
    );
  });
});
