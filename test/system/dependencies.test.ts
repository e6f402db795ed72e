import { describe, expect, it } from 'vitest';
import { TaskFailed } from '../../src/index.js';
import { deferred, settle, startSystem } from '../support/system-harness.js';

describe('dependencies and deadlines', () => {
  it('runs a chain in dependency order', async () => {
    const order: string[] = [];
    const { system } = startSystem({
      agents: [
        {
          id: 'w',
          replicas: 3,
          handler: async (input: unknown) => {
            order.push(String(input));
            return input;
          },
        },
      ],
    });
    const handles = await system.submitMany([
      { id: 'c', type: 'step', input: 'c', dependsOn: ['b'] },
      { id: 'b', type: 'step', input: 'b', dependsOn: ['a'] },
      { id: 'a', type: 'step', input: 'a' },
    ]);
    expect(system.task('c').state).toBe('blocked');
    await Promise.all(handles.map((h) => h.result()));
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('fails every dependent of a failed task, naming the dependency', async () => {
    const { system } = startSystem({
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      agents: [
        {
          id: 'w',
          handler: async (input: unknown) => {
            if (input === 'a') throw new Error('nope');
          },
        },
      ],
    });
    await system.submitMany([
      { id: 'a', type: 'step', input: 'a' },
      { id: 'b', type: 'step', dependsOn: ['a'] },
      { id: 'c', type: 'step', dependsOn: ['b'] },
    ]);
    const c = await system.submit({ id: 'd', type: 'step', dependsOn: ['c'] });
    const error = await c.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailed);
    expect(system.task('b').error).toMatchObject({
      kind: 'dependency',
      details: { dependency: 'a' },
    });
    expect(system.task('c').error).toMatchObject({
      kind: 'dependency',
      details: { dependency: 'b' },
    });
    expect(system.task('d').error?.message).toContain('dependency c');
  });

  it('fails at once a task submitted after its dependency already failed', async () => {
    const { system } = startSystem({
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      agents: [
        {
          id: 'w',
          handler: async () => {
            throw new Error('nope');
          },
        },
      ],
    });
    const a = await system.submit({ id: 'a', type: 'step' });
    await a.result().catch(() => undefined);
    const b = await system.submit({ id: 'b', type: 'step', dependsOn: ['a'] });
    await expect(b.result()).rejects.toMatchObject({ error: { kind: 'dependency' } });
  });

  it('fails a task whose deadline passes while it waits', async () => {
    const gate = deferred();
    const { system, advance } = startSystem({
      agents: [{ id: 'busy', handler: () => gate.promise }],
    });
    await system.submit({ type: 'blocker' });
    const late = await system.submit({ type: 'report', deadline: 500 });
    await advance(499);
    expect(system.task(late.id).state).toBe('ready');
    await advance(1);
    await expect(late.result()).rejects.toMatchObject({
      error: { kind: 'deadline', code: 'DeadlineExceeded' },
    });
    gate.resolve();
    await settle();
    expect(system.task(late.id).attempts).toBe(0);
  });

  it('returns the first task for a second submit with the same idempotency key', async () => {
    let runs = 0;
    const { system } = startSystem({ agents: [{ id: 'w', handler: async () => ++runs }] });
    const first = await system.submit({ type: 'charge', idempotencyKey: 'order-7' });
    const second = await system.submit({ type: 'charge', idempotencyKey: 'order-7' });
    expect(second.id).toBe(first.id);
    await first.result();
    const third = await system.submit({ type: 'charge', idempotencyKey: 'order-7' });
    expect(third.id).toBe(first.id);
    expect(runs).toBe(1);
  });
});
