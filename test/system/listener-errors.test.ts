// A listener the user gives runs in the middle of the runtime's own work (a task's end, an
// agent's restart). What it throws must not unwind that work: before, a throwing
// `task.completed` listener left two of three tasks' results waiting forever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenerFaults } from '../../src/core/listener-faults.js';
import { InvalidSystemOptions, ListenerFailed, runTeam } from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

afterEach(() => {
  vi.useRealTimers();
});

const boom = (what: string) => () => {
  throw new Error(`${what} broke`);
};

describe('a listener that throws', () => {
  it('neither stops the system nor the other listeners, and reaches onListenerError', async () => {
    const caught: ListenerFailed[] = [];
    const { system } = startSystem({
      onListenerError: (error) => caught.push(error),
      agents: [{ id: 'w', handler: (input: number) => input * 2 }],
    });
    system.on('task.completed', boom('metrics'));
    const heard: string[] = [];
    system.on('task.completed', (e) => heard.push(e.taskId));
    system.on('*', boom('audit'));
    const handles = await system.submitMany([1, 2, 3].map((input) => ({ type: 'x', input })));
    expect(await Promise.all(handles.map((h) => h.result()))).toEqual([2, 4, 6]);
    expect(heard).toEqual(handles.map((h) => h.id));
    expect(system.agents()).toMatchObject([{ id: 'w', state: 'idle', tasks: [] }]);
    const completions = caught.filter((e) => e.listener === "system.on('task.completed')");
    expect(completions).toHaveLength(3);
    expect(completions[0]).toMatchObject({
      code: 'ListenerFailed',
      message:
        "a listener of system.on('task.completed') threw: metrics broke; the system went on without it (give onListenerError to handle it)",
    });
    expect(completions[0]?.cause).toEqual(new Error('metrics broke'));
    // The catch-all listener failed on every event it heard, the completions among them.
    expect(caught.filter((e) => e.listener === "system.on('*')").length).toBeGreaterThan(3);
  });

  it('in onLatency leaves the metrics counting', async () => {
    const caught: ListenerFailed[] = [];
    const { system } = startSystem({
      onListenerError: (error) => caught.push(error),
      agents: [{ id: 'w', handler: () => 'ok' }],
    });
    system.onLatency(boom('histogram'));
    const handles = await system.submitMany([{ type: 'x' }, { type: 'x' }]);
    await Promise.all(handles.map((h) => h.result()));
    expect(system.metrics().tasks.completed).toBe(2);
    expect(caught.map((e) => e.listener)).toEqual(Array(4).fill('onLatency'));
  });

  it("in a team run's subscribe leaves the run going", async () => {
    const caught: ListenerFailed[] = [];
    const { system, advance } = startSystem({
      onListenerError: (error) => caught.push(error),
      agents: [
        {
          id: 'planner',
          capabilities: ['plan'],
          handler: () => ({ steps: [{ id: 'a', capability: 'work', input: 1 }] }),
        },
        { id: 'worker', capabilities: ['work'], handler: () => 'done' },
        { id: 'judge', capabilities: ['judge'], handler: () => ({ verdict: 'accept' }) },
      ],
    });
    const run = runTeam(system, { goal: 'g', planner: 'plan', validator: 'judge' });
    run.subscribe(boom('team view'));
    await advance(1_000);
    await expect(run.result()).resolves.toMatchObject({ outputs: { a: 'done' } });
    expect(caught.length).toBeGreaterThan(0);
    expect(caught[0]?.listener).toBe(`team run ${run.id} subscribe`);
  });

  it('is refused as an option unless a function', () => {
    expect(() => startSystem({ onListenerError: 'log' as never })).toThrow(InvalidSystemOptions);
    expect(() => startSystem({ onListenerError: 'log' as never })).toThrow(
      'onListenerError must be a function (error) => void, got "log"',
    );
  });
});

describe('without onListenerError', () => {
  it('logs the error and throws it again on a later turn, with nothing of the system on its stack', () => {
    vi.useFakeTimers({ toFake: ['setImmediate'] });
    const logged: unknown[] = [];
    const log = (fields: Record<string, unknown>, message?: string) =>
      logged.push({ ...fields, message });
    const report = listenerFaults(undefined, { debug: log, info: log, warn: log, error: log });
    report("system.on('system.drained')", new Error('boom'));
    expect(logged).toEqual([
      {
        err: "a listener of system.on('system.drained') threw: boom; the system went on without it (give onListenerError to handle it)",
        listener: "system.on('system.drained')",
        message: 'a listener threw',
      },
    ]);
    expect(() => vi.runAllTimers()).toThrow(ListenerFailed);
  });

  it('survives a logger that throws too: the error is still thrown again later', () => {
    vi.useFakeTimers({ toFake: ['setImmediate'] });
    const broken = () => {
      throw new Error('logger broke');
    };
    const report = listenerFaults(undefined, {
      debug: broken,
      info: broken,
      warn: broken,
      error: broken,
    });
    expect(() => report("system.on('task.failed')", new Error('boom'))).not.toThrow();
    expect(() => vi.runAllTimers()).toThrow(ListenerFailed);
  });

  it('throws again what onListenerError itself throws, on a later turn', () => {
    vi.useFakeTimers({ toFake: ['setImmediate'] });
    const report = listenerFaults(() => {
      throw new Error('the handler broke too');
    });
    expect(() => report('onEnded', new Error('boom'))).not.toThrow();
    expect(() => vi.runAllTimers()).toThrow('the handler broke too');
  });
});
