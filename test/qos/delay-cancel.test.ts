// Cancelling a task whose submission waits for room under a class's `delay` policy: the
// cancellation is not lost ('unknown', the task then running anyway, as before). A waiting
// submission whose every task is cancelled enters at once, cancelled, never started; one
// with other tasks keeps waiting, and its cancelled tasks enter cancelled with it.
import { describe, expect, it } from 'vitest';
import type { QosOptions } from '../../machines/qos-classes.js';
import { Overloaded, TaskCancelled, type TaskSpec } from '../../src/index.js';
import { settle, startSystem } from '../support/system-harness.js';

/** One agent whose handler takes `input` ms of simulated time; `ran` lists the tasks it ran. */
function delayingSystem(maxDelayMs = 500) {
  const qos: QosOptions = {
    classes: { web: { sloMs: 5_000, queueCap: 2, overload: 'delay', maxDelayMs } },
    default: 'web',
  };
  const ran: string[] = [];
  const h = startSystem({
    qos,
    agents: [
      {
        id: 'a',
        handler: (ms: number, ctx) =>
          new Promise((resolve) => {
            ran.push(ctx.taskId);
            h.clock.setTimeout(() => resolve(ms), ms);
          }),
      },
    ],
    retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
  });
  return { ...h, ran };
}

const task = (id: string, ms: number): TaskSpec => ({ id, type: 'w', input: ms });

describe('cancelling a task that waits for room', () => {
  it('takes a waiting submission in cancelled at once: it never runs and takes no room', async () => {
    const s = delayingSystem();
    await s.system.submitMany([task('a', 100), task('b', 100)]);
    let outcome: unknown;
    const waiting = s.system.submit(task('c', 100)).then((handle) => {
      outcome = handle;
      return handle;
    });
    await settle();
    expect(outcome).toBeUndefined(); // the class is full: it waits
    expect(s.system.cancel('c', 'not needed')).toBe('cancelled');
    // In the system at once, cancelled, before the submission's promise settles.
    expect(s.system.task('c')).toMatchObject({ state: 'cancelled', qos: 'web' });
    const handle = await waiting;
    expect(handle.id).toBe('c');
    await expect(handle.result()).rejects.toThrow(new TaskCancelled('c', 'not needed'));
    expect(s.system.cancel('c')).toBe('already-finished');
    await s.advance(1_000);
    expect(s.ran).toEqual(['a', 'b']);
    expect(s.of('task.started').map((e) => e.taskId)).toEqual(['a', 'b']);
    expect(s.of('qos.rejected')).toEqual([]);
    expect(s.of('task.cancelled')).toEqual([
      expect.objectContaining({ taskId: 'c', reason: 'not needed' }),
    ]);
  });

  it('keeps a batch waiting for the room of its other tasks, which then enter with it', async () => {
    const s = delayingSystem();
    await s.system.submitMany([task('a', 100), task('b', 300)]);
    const batch = s.system.submitMany([task('c', 100), task('d', 100)]);
    await settle();
    expect(s.system.cancel('c', 'first')).toBe('cancelled');
    expect(s.system.cancel('c', 'second')).toBe('cancelled'); // the first reason stays
    expect(() => s.system.task('c')).toThrow(/c/); // still waiting with d
    await s.advance(100); // a ends: room for one more, but the batch needs two
    expect(() => s.system.task('d')).toThrow(/d/);
    await s.advance(300); // b (started at 100) ends: room for both
    const handles = await batch;
    expect(handles.map((h) => h.id)).toEqual(['c', 'd']);
    await expect(handles[0]?.result()).rejects.toThrow(new TaskCancelled('c', 'first'));
    await s.advance(100);
    expect(await handles[1]?.result()).toBe(100);
    expect(s.ran).toEqual(['a', 'b', 'd']);
  });

  it('enters a waiting batch cancelled once each of its tasks is', async () => {
    const s = delayingSystem();
    await s.system.submitMany([task('a', 100), task('b', 100)]);
    const batch = s.system.submitMany([task('c', 100), task('d', 100)]);
    await settle();
    s.system.cancel('d');
    s.system.cancel('c');
    const handles = await batch;
    expect(handles.map((h) => s.system.task(h.id).state)).toEqual(['cancelled', 'cancelled']);
    await s.advance(1_000);
    expect(s.ran).toEqual(['a', 'b']);
  });

  it('still refuses a waiting batch with Overloaded when no room appears, and knows no other id', async () => {
    const s = delayingSystem(200);
    await s.system.submitMany([task('a', 1_000), task('b', 1_000)]);
    const batch = s.system.submitMany([task('c', 100), task('d', 100)]);
    const refused = expect(batch).rejects.toBeInstanceOf(Overloaded);
    await settle();
    expect(s.system.cancel('c')).toBe('cancelled');
    expect(s.system.cancel('nobody')).toBe('unknown');
    await s.advance(200);
    await refused;
    // Gone with its submission: nothing of it was stored, and it is not waiting any more.
    expect(s.system.cancel('c')).toBe('unknown');
    expect(() => s.system.task('c')).toThrow(/c/);
  });
});
