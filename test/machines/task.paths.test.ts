import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../machines/task.js';
import { taskMachine } from '../../machines/task.js';
import { exploreMachine } from './path-coverage.js';

const failure = { kind: 'error', code: 'HandlerError', message: 'handler threw' } as const;

// Every event with every guard-relevant variant: before and after the deadline (1000),
// retryable and not, each dependency. `after` events are fired by the clock, not sent.
const events: TaskEvent[] = [
  { type: 'dependency.completed', taskId: 'd1', at: 1 },
  { type: 'dependency.completed', taskId: 'd2', at: 1 },
  { type: 'dependency.failed', taskId: 'd1', reason: 'failed', at: 1 },
  { type: 'assign', agentId: 'a1', at: 5 },
  { type: 'assign', agentId: 'a1', at: 2_000 },
  { type: 'unassign', reason: 'agent draining', at: 6 },
  { type: 'start', at: 10 },
  { type: 'start', at: 2_000 },
  // Started 400 ms before the deadline: the attempt's 500 ms timeout is cut to 400.
  { type: 'start', at: 600 },
  { type: 'progress', progress: 0.5, note: 'half', at: 11 },
  { type: 'heartbeat', at: 12 },
  { type: 'complete', output: { ok: true }, at: 13 },
  { type: 'fail', error: failure, retryable: true, at: 14 },
  { type: 'fail', error: failure, retryable: false, at: 14 },
  { type: 'agent.lost', agentId: 'a1', at: 15 },
  { type: 'cancel', reason: 'user', at: 16 },
  { type: 'deadline.reached', at: 1_000 },
  { type: 'retry.due', at: 200 },
  { type: 'interrupt', reason: 'shutdown', at: 17 },
  { type: 'no.capable.agent', capabilities: ['gpu'], resources: {}, at: 18 },
  { type: 'expire', reason: 'too late', dueAt: 19, predictedFinishAt: 30, at: 19 },
  { type: 'xstate.error.actor.work', error: new Error('bug'), actorId: 'work' },
  { type: 'xstate.done.actor.work', output: 1, actorId: 'work' },
  { type: 'xstate.after.attemptTimeout.task.running.timed' } as unknown as TaskEvent,
  { type: 'xstate.after.retryBackoff.task.retrying.waiting' } as unknown as TaskEvent,
];

describe('task machine paths', () => {
  it('reaches every state and takes every transition on paths replayed under a simulated clock', () => {
    // Two inputs: with a timeout and a backoff (the timers' transitions), and with neither
    // (a retry at once; the deadline alone limits an attempt). Every transition is taken
    // under one or the other.
    const explore = (timeoutMs: number | undefined, delayMs: number) =>
      exploreMachine({
        machine: taskMachine,
        input: {
          taskId: 't1',
          retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs } },
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          deadline: 1_000,
          dependsOn: ['d1', 'd2'],
          submittedAt: 0,
          seed: 42,
        },
        events: () => events,
        serialize: (s) =>
          JSON.stringify([
            s.value,
            s.context.attempts,
            s.context.waitingOn,
            s.context.agentId !== null,
          ]),
      });
    const timed = explore(500, 100);
    const untimed = explore(undefined, 0);
    for (const coverage of [timed, untimed]) expect(coverage.mismatches).toEqual([]);
    expect(timed.states.missed.filter((s) => untimed.states.missed.includes(s))).toEqual([]);
    // By the transitions themselves: two guarded branches may read the same.
    const missedByBoth = timed.transitions.missedDefinitions.filter((t) =>
      untimed.transitions.missedDefinitions.includes(t),
    );
    expect(missedByBoth.length, timed.transitions.missed.join('\n')).toBe(0);
    expect(timed.transitions.total).toBeGreaterThan(20);
  });
});
