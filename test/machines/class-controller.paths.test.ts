import { describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import {
  type ClassControllerEvent,
  classControllerMachine,
} from '../../machines/class-controller.js';
import { exploreMachine } from './path-coverage.js';

// The model's context must be finite and serialized whole. Time is what the events carry
// (the machine has no timers), so it runs on a grid: events happen at 0, 100, ... 400 ms,
// never before the latest time the context remembers, with a target of 50 ms, an interval
// of 100 ms and an SLO of 200 ms. On that grid two samples above target overload, and a
// backlog as long as the SLO then sheds. Each sample is below or above target (delay), with
// a backlog drained, standing (above target, short of the SLO) or hopeless (the SLO): every
// guard's both sides.
const TARGET = 50;
const INTERVAL = 100;
const SLO = 200;
const GRID = [0, 100, 200, 300, 400];

type Snapshot = SnapshotFrom<typeof classControllerMachine>;

const latest = ({ context }: Snapshot) => Math.max(context.aboveSince ?? 0, context.lastSweepAt);

const events = (snapshot: Snapshot): ClassControllerEvent[] =>
  GRID.filter((at) => at >= latest(snapshot)).flatMap((at) => [
    { type: 'queue.emptied' as const, at },
    ...[0, 2 * TARGET].flatMap((delayMs) =>
      [0, 2 * TARGET, SLO].map((backlogMs) => ({
        type: 'delay.sampled' as const,
        delayMs,
        backlogMs,
        at,
      })),
    ),
  ]);

describe('class controller machine paths', () => {
  it('reaches every state and takes every transition on paths replayed on a live actor', () => {
    const coverage = exploreMachine({
      machine: classControllerMachine,
      input: { qos: 'web', targetMs: TARGET, intervalMs: INTERVAL, sloMs: SLO },
      events,
      serialize: (s) => {
        const { aboveSince, lastSweepAt } = s.context;
        return JSON.stringify([s.value, aboveSince, lastSweepAt]);
      },
    });
    expect(coverage.mismatches).toEqual([]);
    expect(coverage.states.missed).toEqual([]);
    expect(coverage.transitions.missed).toEqual([]);
    // normal: 3 sample branches + emptied; overloaded: 3 + 1; shedding (drained, back to
    // overloaded below the SLO, sweep): 3 + 1.
    expect(coverage.transitions.total).toBe(12);
  });
});
