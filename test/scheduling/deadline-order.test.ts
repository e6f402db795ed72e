// The `deadline` order: earliest deadline first across the queue of a system without QoS
// classes, ties to the higher priority, then to submission order; no deadline goes last.
import { describe, expect, it } from 'vitest';
import { type ReadyEntry, Scheduler } from '../../src/scheduling/scheduler.js';
import { deferred, settle, startSystem } from '../support/system-harness.js';

let seq = 0;
const entry = (taskId: string, dueAt: number | undefined, priority = 0): ReadyEntry => ({
  taskId,
  priority,
  seq: seq++,
  enqueuedAt: 0,
  requirement: { capabilities: [], resources: {} },
  ...(dueAt === undefined ? {} : { dueAt }),
});

describe('deadline order', () => {
  it('earliest due first, then higher priority, then submission order; no deadline last', () => {
    const s = new Scheduler({ order: 'deadline' });
    s.addAgent({ id: 'a', capabilities: new Set(), slots: 1, limits: {} });
    s.enqueue(entry('none-high', undefined, 9));
    s.enqueue(entry('late', 5_000));
    s.enqueue(entry('soon-low', 1_000, 0));
    s.enqueue(entry('soon-high', 1_000, 5));
    s.enqueue(entry('soon-low-2', 1_000, 0));
    s.enqueue(entry('none-low', undefined, 0));
    const out: string[] = [];
    for (let e = s.nextFor('a'); e; e = s.nextFor('a')) {
      out.push(e.taskId);
      s.release('a', e.requirement);
    }
    expect(out).toEqual(['soon-high', 'soon-low', 'soon-low-2', 'late', 'none-high', 'none-low']);
  });

  it('a system with order deadline runs the task due first, whatever its priority', async () => {
    const started: string[] = [];
    const gate = deferred();
    const { system, clock } = startSystem({
      order: 'deadline',
      agents: [
        {
          id: 'solo',
          handler: async (input: string) => {
            started.push(input);
            if (input === 'blocker') await gate.promise;
          },
        },
      ],
    });
    await system.submit({ type: 'work', input: 'blocker' });
    const now = clock.now();
    await system.submitMany([
      { type: 'work', input: 'due-in-60s', priority: 9, deadline: now + 60_000 },
      { type: 'work', input: 'no-deadline', priority: 9 },
      { type: 'work', input: 'due-in-5s', deadline: now + 5_000 },
      { type: 'work', input: 'due-in-20s', priority: 1, deadline: now + 20_000 },
    ]);
    gate.resolve();
    for (let i = 0; i < 10; i++) await settle();
    expect(started).toEqual(['blocker', 'due-in-5s', 'due-in-20s', 'due-in-60s', 'no-deadline']);
  });
});
