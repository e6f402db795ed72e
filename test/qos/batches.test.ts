import { describe, expect, it } from 'vitest';
import type { QosOptions } from '../../machines/qos-classes.js';
import { InvalidTaskSpec, TaskCancelled } from '../../src/index.js';
import { deferred, startSystem } from '../support/system-harness.js';

const qos: QosOptions = {
  classes: { interactive: { sloMs: 3_000, weight: 3 }, batch: { sloMs: 120_000, weight: 1 } },
  default: 'batch',
};

describe('online batches (submitBatch)', () => {
  it('gives every task the batch’s class, and resolves with every output in order', async () => {
    const { system, advance } = startSystem({
      qos,
      agents: [{ id: 'a', concurrency: 2, handler: (n: number) => n * 10 }],
    });
    const batch = await system.submitBatch(
      [1, 2, 3].map((n) => ({ type: 'w', input: n })),
      { qos: 'interactive' },
    );
    expect(batch.tasks.map((t) => system.task(t.id).qos)).toEqual(Array(3).fill('interactive'));
    await advance(1);
    await expect(batch.result()).resolves.toEqual([10, 20, 30]);
    expect(batch.progress()).toEqual({
      total: 3,
      completed: 3,
      failed: 0,
      cancelled: 0,
      unfinished: 0,
    });
  });

  it('runs the batch due first, even when it was submitted after another', async () => {
    const gate = deferred();
    const { system, advance, clock, of } = startSystem({
      qos,
      agents: [{ id: 'a', handler: (input: string) => (input === 'hold' ? gate.promise : 'ok') }],
    });
    // The agent is busy while both batches arrive; the later one is due first.
    await system.submit({ type: 'hold', qos: 'interactive', input: 'hold' });
    const dueLater = await system.submitBatch([{ type: 'w' }, { type: 'w' }], {
      qos: 'interactive',
      deadline: clock.now() + 2_000,
    });
    const dueFirst = await system.submitBatch([{ type: 'w' }, { type: 'w' }], {
      qos: 'interactive',
      deadline: clock.now() + 1_000,
    });
    gate.resolve();
    await advance(1);
    const started = of('task.started').map((e) => e.taskId);
    const at = (id: string) => started.indexOf(id);
    expect(Math.max(...dueFirst.tasks.map((t) => at(t.id)))).toBeLessThan(
      Math.min(...dueLater.tasks.map((t) => at(t.id))),
    );
    expect(Math.min(...dueFirst.tasks.map((t) => at(t.id)))).toBeGreaterThan(0);
  });

  it('ends at its deadline: tasks not started fail, and the running one is cut there', async () => {
    const gate = deferred<string>();
    const { system, advance, clock } = startSystem({
      agents: [{ id: 'a', handler: () => gate.promise }],
    });
    const batch = await system.submitBatch([{ type: 'w' }, { type: 'w' }, { type: 'w' }], {
      deadline: clock.now() + 100,
    });
    await advance(200);
    expect(batch.progress()).toMatchObject({ failed: 3, unfinished: 0 });
    expect(batch.tasks.map((t) => system.task(t.id).error?.code)).toEqual(
      Array(3).fill('DeadlineExceeded'),
    );
    gate.resolve('late');
  });

  it('cancels what has not finished', async () => {
    const gate = deferred<string>();
    const { system, advance } = startSystem({
      agents: [{ id: 'a', handler: () => gate.promise }],
    });
    const batch = await system.submitBatch([{ type: 'w' }, { type: 'w' }, { type: 'w' }]);
    await advance(1);
    expect(batch.cancel('user gave up')).toBe(3);
    expect(batch.cancel('again')).toBe(0);
    await expect(batch.result()).rejects.toThrow(TaskCancelled);
    gate.resolve('late');
  });

  it('refuses bad batch options, naming them', async () => {
    const { system, clock } = startSystem({ qos, agents: [{ id: 'a', handler: () => 1 }] });
    await expect(
      system.submitBatch([{ type: 'w' }], { deadline: clock.now() - 1 }),
    ).rejects.toThrow(/batch\.deadline/);
    await expect(system.submitBatch([{ type: 'w' }], { qos: '' })).rejects.toThrow(/batch\.qos/);
    await expect(system.submitBatch([{ type: 'w' }], { qos: 'urgent' })).rejects.toThrow(
      InvalidTaskSpec,
    );
  });
});
