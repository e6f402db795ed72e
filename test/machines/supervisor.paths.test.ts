import { describe, expect, it } from 'vitest';
import { type AnyActorLogic, fromCallback } from 'xstate';
import type { ChildSpec, RestartStrategy } from '../../machines/child-spec.js';
import { type SupervisorEvent, supervisorMachine } from '../../machines/supervisor.js';
import { exploreMachine } from './path-coverage.js';

// Children are passive doubles: they exit only when the path says so, which keeps the
// live replay in step with the pure model. Real agents are exercised in supervisor.test.ts.
const passive = fromCallback(() => undefined) as AnyActorLogic;
const machine = supervisorMachine.provide({ actors: { agent: passive, supervisor: passive } });

const spec = (id: string, restart: ChildSpec['restart']): ChildSpec => ({
  id,
  src: 'agent',
  restart,
  shutdownTimeoutMs: 100,
});
const children = [spec('a', 'permanent'), spec('b', 'transient'), spec('c', 'temporary')];

const exits = (id: string): SupervisorEvent[] => [
  { type: `xstate.error.actor.${id}`, error: new Error('crash'), actorId: id },
  {
    type: `xstate.done.actor.${id}`,
    output: { exit: { kind: 'normal', reason: 'drained' } },
    actorId: id,
  },
  {
    type: `xstate.done.actor.${id}`,
    output: { exit: { kind: 'abnormal', reason: 'unresponsive' } },
    actorId: id,
  },
];

const eventsFor = (value: unknown, live: readonly string[]): SupervisorEvent[] => [
  ...live.flatMap(exits),
  { type: 'child.add', spec: spec('d', 'permanent') },
  { type: 'child.remove', childId: 'b' },
  ...(value === 'running' ? [{ type: 'child.drain', childId: 'a' } as const] : []),
  ...(value === 'running' ? [{ type: 'intensity.decay' } as const] : []),
  { type: 'drain' },
  { type: 'stop' },
  ...(value === 'stopping' ? [{ type: 'shutdown.timeout' } as const] : []),
];

describe.each<RestartStrategy>(['one_for_one', 'one_for_all', 'rest_for_one'])(
  'supervisor machine paths (%s)',
  (strategy) => {
    it('reaches every state and takes every transition on paths replayed under a simulated clock', () => {
      const coverage = exploreMachine({
        machine,
        input: {
          supervisorId: 'root',
          strategy,
          intensity: { maxRestarts: 2, periodMs: 5_000 },
          children,
        },
        events: (s) => eventsFor(s.value, s.context.live),
        serialize: (s) =>
          JSON.stringify([
            s.value,
            s.context.live,
            s.context.children.length,
            s.context.recentRestarts.length,
            s.context.shutdownQueue,
            s.context.retiring,
          ]),
        timedEvents: ['intensity.decay', 'shutdown.timeout'],
      });
      expect(coverage.mismatches).toEqual([]);
      expect(coverage.states.missed).toEqual([]);
      expect(coverage.transitions.missed).toEqual([]);
    });
  },
);
