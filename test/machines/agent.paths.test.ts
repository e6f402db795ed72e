import { describe, expect, it } from 'vitest';
import { type AgentEvent, agentMachine } from '../../machines/agent.js';
import { exploreMachine } from './path-coverage.js';

// Two slots and 2 cpu: t1 and t2 fit together, t3 never fits, t1 twice is refused; t1
// handed over for t4 keeps the agent busy, for t3 is refused (and may leave it idle).
const events: AgentEvent[] = [
  { type: 'ready', at: 1 },
  { type: 'start.failed', message: 'no GPU', at: 1 },
  { type: 'task.assign', taskId: 't1', resources: { cpu: 1 }, at: 2 },
  { type: 'task.assign', taskId: 't2', resources: { cpu: 1 }, at: 2 },
  { type: 'task.assign', taskId: 't3', resources: { cpu: 5 }, at: 2 },
  { type: 'task.release', taskId: 't1', at: 3 },
  { type: 'task.release', taskId: 't2', at: 3 },
  { type: 'task.handover', releaseTaskId: 't1', taskId: 't4', resources: { cpu: 1 }, at: 3 },
  { type: 'task.handover', releaseTaskId: 't1', taskId: 't3', resources: { cpu: 5 }, at: 3 },
  { type: 'heartbeat', at: 4 },
  { type: 'heartbeat.missed' },
  { type: 'crash', message: 'segfault', at: 5 },
  { type: 'terminate', at: 6 },
  { type: 'drain' },
  { type: 'stop' },
  { type: 'xstate.error.actor.task:t1', error: new Error('bug'), actorId: 'task:t1' },
  { type: 'xstate.done.actor.task:t1', output: {}, actorId: 'task:t1' },
];

describe('agent machine paths', () => {
  it('reaches every state and takes every transition on paths replayed under a simulated clock', () => {
    const coverage = exploreMachine({
      machine: agentMachine,
      input: {
        agentId: 'a1',
        capabilities: ['image'],
        resources: { cpu: 2 },
        slots: 2,
        heartbeatTimeoutMs: 1_000,
      },
      events: () => events,
      serialize: (s) =>
        JSON.stringify([s.value, Object.keys(s.context.tasks).sort(), s.context.exit?.reason]),
      timedEvents: ['heartbeat.missed'],
    });
    expect(coverage.mismatches).toEqual([]);
    expect(coverage.states.missed).toEqual([]);
    expect(coverage.transitions.missed).toEqual([]);
  });
});
