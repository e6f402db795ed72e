// `startWriteDelayMs`: a running attempt's start (its record and its lease) is written that
// much later, or with whatever its task writes next (its end, a retry), or when the system
// stops, whichever comes first; at 0 (the default) it is written as the attempt starts.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { EventStream } from '../../src/core/event-stream.js';
import { TaskJournal } from '../../src/durability/task-journal.js';
import { createSystem, InvalidSystemOptions, type SystemOptions } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { specOf } from '../store/fixtures.js';
import { advanceClock } from '../support/system-harness.js';

/** A memory store that notes each record and lease claim with the clock's time. */
function notingStore(clock: SimulatedClock) {
  const inner = memoryStore();
  const writes: string[] = [];
  const store = new Proxy(inner, {
    get(target, key) {
      if (key === 'appendTask')
        return (record: Parameters<Store['appendTask']>[0]) => {
          const state = record.kind === 'task.transition' ? `:${record.state}` : '';
          writes.push(`${record.kind}${state}@${clock.now()}`);
          return target.appendTask(record);
        };
      if (key === 'claimLease')
        return (claim: Parameters<Store['claimLease']>[0]) => {
          writes.push(`lease@${clock.now()}`);
          return target.claimLease(claim);
        };
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, writes };
}

/** A system whose one agent runs each task for `input` ms of the simulated clock. */
function system(options: SystemOptions, fail = new Set<number>()) {
  const clock = new SimulatedClock();
  const { store, writes } = notingStore(clock);
  let runs = 0;
  const s = createSystem({
    clock,
    store,
    retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 5 } },
    ...options,
    agents: [
      {
        id: 'w',
        handler: (ms: number) =>
          new Promise((resolve, reject) => {
            const run = ++runs;
            clock.setTimeout(
              () => (fail.has(run) ? reject(new Error(`run ${run} failed`)) : resolve(ms)),
              ms,
            );
          }),
      },
    ],
  }).start();
  return { clock, store, writes, system: s };
}

describe('startWriteDelayMs', () => {
  it('at 0 (the default), writes a start as the attempt starts', async () => {
    const { clock, writes, system: s } = system({});
    const task = await s.submit({ id: 't', type: 'x', input: 20 });
    await advanceClock(clock, 30);
    expect(await task.result()).toBe(20);
    expect(writes).toEqual([
      'task.submitted@0',
      'task.transition:running@0',
      'lease@0',
      'task.completed@20',
    ]);
    await s.stop();
  });

  it('writes the start of a task that ends within it with its end', async () => {
    const { clock, store, writes, system: s } = system({ startWriteDelayMs: 50 });
    const task = await s.submit({ id: 't', type: 'x', input: 20 });
    await advanceClock(clock, 30);
    expect(await task.result()).toBe(20);
    expect(writes).toEqual([
      'task.submitted@0',
      'task.transition:running@20',
      'lease@20',
      'task.completed@20',
    ]);
    // The records say when things happened, not when they were written.
    expect(store.history('t').map((r) => [r.kind, r.at])).toEqual([
      ['task.submitted', 0],
      ['task.transition', 0],
      ['task.completed', 20],
    ]);
    await s.stop();
  });

  it('writes the start of a longer task once the delay has passed', async () => {
    const { clock, store, writes, system: s } = system({ startWriteDelayMs: 50 });
    const task = await s.submit({ id: 't', type: 'x', input: 80 });
    await advanceClock(clock, 49);
    expect(writes).toEqual(['task.submitted@0']);
    // Until then the store says what it last heard: ready.
    expect(store.load(49).tasks[0]?.state).toBe('ready');
    await advanceClock(clock, 1);
    expect(writes).toEqual(['task.submitted@0', 'task.transition:running@50', 'lease@50']);
    expect(store.load(50).tasks[0]?.lease).toMatchObject({ attempt: 1, until: 0 + 5_000 });
    await advanceClock(clock, 40);
    expect(await task.result()).toBe(80);
    expect(writes.at(-1)).toBe('task.completed@80');
    await s.stop();
  });

  it('writes a failed attempt’s start before its retry, and a waiting start when the system stops', async () => {
    const { clock, writes, system: s } = system({ startWriteDelayMs: 50 }, new Set([1]));
    await s.submit({ id: 't', type: 'x', input: 10 });
    await advanceClock(clock, 16);
    // Attempt 1 failed at 10 and retried; attempt 2 started at 15, its start waiting until
    // the system stops (at 16, its drain given no time).
    expect(writes).toEqual([
      'task.submitted@0',
      'task.transition:running@10',
      'lease@10',
      'task.transition:retrying@10',
    ]);
    const stopped = s.stop({ timeoutMs: 0 });
    await advanceClock(clock, 1);
    await stopped;
    // Stopping interrupts the attempt: its start is written, then its return to ready.
    expect(writes.slice(4)).toEqual([
      'task.transition:running@16',
      'lease@16',
      'task.transition:ready@16',
    ]);
  });

  it('writes every start still waiting when asked to (a stopping system, before its last flush)', () => {
    const clock = new SimulatedClock();
    const { store, writes } = notingStore(clock);
    const events = new EventStream();
    const journal = new TaskJournal({
      store,
      events,
      runId: 'r',
      leaseMs: 1_000,
      startWriteDelayMs: 50,
      clock,
      logger: silentLogger,
    });
    store.appendTask({ kind: 'task.submitted', taskId: 't', spec: specOf('t'), at: 0 });
    events.publish({ type: 'task.started', taskId: 't', attempt: 1, agentId: 'w', at: 3 });
    clock.set(5);
    expect(writes).toEqual(['task.submitted@0']);
    journal.writeStarts();
    expect(writes).toEqual(['task.submitted@0', 'task.transition:running@5', 'lease@5']);
    expect(store.history('t').at(-1)).toMatchObject({ state: 'running', at: 3, agentId: 'w' });
    // Written once: its timer is gone.
    clock.set(100);
    expect(writes).toHaveLength(3);
  });

  it('is refused when negative, or not below leaseMs', () => {
    expect(() => createSystem({ startWriteDelayMs: -1 })).toThrow(
      new InvalidSystemOptions('startWriteDelayMs', 'must be a finite number >= 0, got -1'),
    );
    expect(() => createSystem({ leaseMs: 100, startWriteDelayMs: 100 })).toThrow(
      new InvalidSystemOptions('startWriteDelayMs', 'must be below leaseMs (100), got 100'),
    );
  });
});
