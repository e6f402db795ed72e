import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createSystem } from '../../src/index.js';
import { seededRandom, settle } from '../support/system-harness.js';

// Cost is counted, not timed: the XState events each task and agent costs, and the widest
// fan-out of any actor (XState's spawn and stop cost grows with a parent's child count).
async function run(agentCount: number, taskCount: number) {
  let events = 0;
  let actors = 0;
  const clock = new SimulatedClock();
  const system = createSystem({
    clock,
    random: seededRandom(7),
    agents: [{ id: 'w', replicas: agentCount, handler: async () => undefined }],
    inspect: (e) => {
      if (e.type === '@xstate.event') events++;
      else if (e.type === '@xstate.actor') actors++;
    },
  }).start();
  const widest = maxChildren(system.rootActor);
  const startEvents = events;
  const handles = await system.submitMany(
    Array.from({ length: taskCount }, () => ({ type: 'noop' })),
  );
  await handles.at(-1)?.result();
  while (system.stats().tasks.completed < taskCount) await settle();
  return {
    eventsPerAgent: startEvents / agentCount,
    eventsPerTask: (events - startEvents) / taskCount,
    actorsPerTask: actors / taskCount,
    widest: Math.max(widest, maxChildren(system.rootActor)),
  };
}

type Ref = { getSnapshot(): { children?: Record<string, Ref | undefined> } } | undefined;
function maxChildren(ref: Ref): number {
  const children = Object.values(ref?.getSnapshot().children ?? {});
  return Math.max(children.length, ...children.map((c) => maxChildren(c)));
}

describe('scale', () => {
  it('costs the same per agent and per task at 10,000 agents and 100,000 tasks as at 100 and 1,000', async () => {
    const small = await run(100, 1_000);
    const large = await run(10_000, 100_000);
    expect(large.widest).toBeLessThanOrEqual(64);
    expect(small.widest).toBeLessThanOrEqual(64);
    expect(large.eventsPerAgent / small.eventsPerAgent).toBeGreaterThan(0.9);
    expect(large.eventsPerAgent / small.eventsPerAgent).toBeLessThan(1.1);
    expect(large.eventsPerTask / small.eventsPerTask).toBeGreaterThan(0.9);
    expect(large.eventsPerTask / small.eventsPerTask).toBeLessThan(1.1);
    console.info('scale', { small, large });
  }, 120_000);
});
