import { describe, expect, it } from 'vitest';
import { slotCost } from '../../machines/fair-share.js';
import type { QosOptions } from '../../machines/qos-classes.js';
import { type ReadyEntry, Scheduler } from '../../src/scheduling/scheduler.js';
import { startSystem } from '../support/system-harness.js';

const qos: QosOptions = {
  classes: {
    interactive: { sloMs: 3_000, weight: 3 },
    batch: { sloMs: 120_000, weight: 1 },
    even: { sloMs: 10_000, weight: 1 },
  },
  default: 'batch',
};

let seq = 0;
const entry = (taskId: string, cls: string, dueAt = Number.POSITIVE_INFINITY): ReadyEntry => ({
  taskId,
  priority: 0,
  seq: seq++,
  enqueuedAt: 0,
  requirement: { capabilities: [], resources: {} },
  qos: cls,
  dueAt,
  heapIndex: -1,
});

/** A scheduler with one agent of one slot; `take(n)` runs n tasks one after another. */
function oneSlot() {
  const s = new Scheduler({ qos });
  s.addAgent({ id: 'a', capabilities: new Set(), slots: 1, limits: {} });
  const take = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = s.nextFor('a');
      if (!e) break;
      out.push(e.qos ?? '?');
      s.release('a', e.requirement);
    }
    return out;
  };
  return { s, take };
}

const count = (xs: readonly string[], x: string) => xs.filter((y) => y === x).length;

describe('weighted fair share between QoS classes', () => {
  it('gives each class with work its weight’s share of the slots', () => {
    const { s, take } = oneSlot();
    for (let i = 0; i < 40; i++) {
      s.enqueue(entry(`i${i}`, 'interactive'));
      s.enqueue(entry(`b${i}`, 'batch'));
    }
    const served = take(40);
    expect(count(served, 'interactive')).toBe(30);
    expect(count(served, 'batch')).toBe(10);
    // Spread through the run, not in one block: every window of 4 holds one batch task.
    for (let w = 0; w < 40; w += 4) expect(count(served.slice(w, w + 4), 'batch')).toBe(1);
  });

  it('lends a class’s idle share to the classes that have work', () => {
    const { s, take } = oneSlot();
    for (let i = 0; i < 10; i++) s.enqueue(entry(`b${i}`, 'batch'));
    expect(take(10)).toEqual(Array(10).fill('batch'));
  });

  it('does not let a class that was idle spend the share it did not use', () => {
    const { s, take } = oneSlot();
    for (let i = 0; i < 50; i++) s.enqueue(entry(`b${i}`, 'batch'));
    take(40); // batch alone for a while; `even` (same weight) had no work
    for (let i = 0; i < 20; i++) s.enqueue(entry(`e${i}`, 'even'));
    const served = take(10);
    expect(count(served, 'even')).toBeGreaterThanOrEqual(4);
    expect(count(served, 'even')).toBeLessThanOrEqual(6);
  });

  it('serves a class earliest due first', () => {
    const { s } = oneSlot();
    for (const [id, due] of [
      ['late', 300],
      ['soon', 100],
      ['middle', 200],
    ] as const)
      s.enqueue(entry(id, 'interactive', due));
    const order: string[] = [];
    for (let e = s.nextFor('a'); e; e = s.nextFor('a')) {
      order.push(e.taskId);
      s.release('a', e.requirement);
    }
    expect(order).toEqual(['soon', 'middle', 'late']);
  });
});

describe('a task’s cost in fair share', () => {
  it('is one slot, or the agent’s slots times its dominant share of a resource', () => {
    expect(slotCost({}, { gpu: 2 }, 4)).toBe(1);
    expect(slotCost({ gpu: 1 }, { gpu: 2 }, 4)).toBe(2);
    expect(slotCost({ gpu: 2, memGb: 4 }, { gpu: 2, memGb: 16 }, 4)).toBe(4);
    expect(slotCost({ gpu: 0.1 }, { gpu: 2 }, 1)).toBe(1);
  });

  it('charges a class by what its tasks take: an agent-wide task counts as all its slots', () => {
    const s = new Scheduler({ qos });
    s.addAgent({ id: 'a', capabilities: new Set(), slots: 2, limits: { gpu: 2 } });
    const heavy = { capabilities: [], resources: { gpu: 2 } };
    for (let i = 0; i < 20; i++) {
      s.enqueue({ ...entry(`h${i}`, 'batch'), requirement: heavy });
      s.enqueue(entry(`e${i}`, 'even'));
    }
    const served: string[] = [];
    for (let i = 0; i < 12; i++) {
      const e = s.nextFor('a');
      if (!e) break;
      served.push(e.qos ?? '?');
      s.release('a', e.requirement);
    }
    // Same weight, but each heavy batch task costs 2 slots: even runs about twice as often.
    expect(count(served, 'even')).toBeGreaterThanOrEqual(7);
    expect(count(served, 'batch')).toBeLessThanOrEqual(5);
  });
});

describe('QoS classes in a running system', () => {
  it('starts an interactive task ahead of a long batch backlog, by its share', async () => {
    const { system, advance, of } = startSystem({
      qos,
      agents: [{ id: 'a', handler: () => 'done' }],
    });
    await system.submitMany(Array.from({ length: 20 }, () => ({ type: 'w', qos: 'batch' })));
    const urgent = await system.submit({ type: 'w', qos: 'interactive' });
    await advance(1);
    const started = of('task.started').map((e) => e.taskId);
    expect(system.task(urgent.id).state).toBe('completed');
    // One slot: the first batch task was running; the interactive one goes within its share.
    expect(started.indexOf(urgent.id)).toBeLessThanOrEqual(2);
  });
});
