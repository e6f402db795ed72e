import { describe, expect, it, vi } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import type { RetryPolicy } from '../../machines/retry-policy.js';
import { type TaskEmitted, type TaskMachineInput, taskMachine } from '../../machines/task.js';

const boom = { kind: 'error', code: 'HandlerError', message: 'handler threw' } as const;

/** The delayed events the actor's system holds (XState's scheduler). */
const pendingTimers = (actor: { system: unknown }) =>
  Object.keys(
    (actor.system as { getSnapshot(): { _scheduledEvents: object } }).getSnapshot()
      ._scheduledEvents,
  );

function startTask(input: Partial<TaskMachineInput> = {}, abortAttempt = () => {}) {
  const clock = new SimulatedClock();
  const emitted: TaskEmitted[] = [];
  const actor = createActor(taskMachine.provide({ actions: { abortAttempt } }), {
    clock,
    input: {
      taskId: 't1',
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 100 } },
      submittedAt: 0,
      seed: 7,
      ...input,
    },
  });
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const run = (at: number) => {
    actor.send({ type: 'assign', agentId: 'a1', at });
    actor.send({ type: 'start', at });
  };
  return { actor, clock, emitted, run, value: () => actor.getSnapshot().value };
}

describe('task lifecycle', () => {
  it('runs pending, assigned, running, retrying, assigned, running, completed', () => {
    const { actor, clock, emitted, value } = startTask();
    expect(value()).toEqual({ pending: 'ready' });
    actor.send({ type: 'assign', agentId: 'a1', at: 0 });
    expect(value()).toBe('assigned');
    actor.send({ type: 'start', at: 1 });
    expect(value()).toEqual({ running: 'untimed' });
    actor.send({ type: 'fail', error: boom, retryable: true, at: 5 });
    expect(value()).toEqual({ retrying: 'waiting' });
    clock.increment(100);
    expect(value()).toEqual({ pending: 'ready' });
    actor.send({ type: 'assign', agentId: 'a2', at: 105 });
    actor.send({ type: 'start', at: 106 });
    actor.send({ type: 'complete', output: 42, at: 110 });
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({
      taskId: 't1',
      attempts: 2,
      output: 42,
      error: boom,
    });
    expect(emitted.map((e) => `${e.type}@${e.at}#${e.attempt}`)).toEqual([
      'task.ready@0#0',
      'task.assigned@0#0',
      'task.started@1#1',
      'task.retrying@5#1',
      'task.ready@105#1',
      'task.assigned@105#1',
      'task.started@106#2',
      'task.completed@110#2',
    ]);
  });

  it('fails once attempts reach the policy limit, keeping the last error', () => {
    const { actor, run, clock, emitted } = startTask({
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 10 } },
    });
    run(0);
    actor.send({ type: 'fail', error: boom, retryable: true, at: 1 });
    clock.increment(10);
    run(11);
    actor.send({ type: 'fail', error: boom, retryable: true, at: 12 });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.attempts).toBe(2);
    expect(emitted.at(-1)).toMatchObject({ type: 'task.failed', error: boom, attempt: 2, at: 12 });
  });

  it('fails at once on a non-retryable failure even with attempts left', () => {
    const { actor, run } = startTask();
    run(0);
    actor.send({ type: 'fail', error: boom, retryable: false, at: 3 });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.attempts).toBe(1);
  });

  it('respects the backoff delay to the tick', () => {
    const policy: RetryPolicy = {
      maxAttempts: 5,
      backoff: { kind: 'exponential', initialDelayMs: 200, maxDelayMs: 10_000, jitter: 0.5 },
    };
    const { actor, run, clock } = startTask({ retry: policy });
    run(0);
    actor.send({ type: 'fail', error: boom, retryable: true, at: 0 });
    const { retryAt, retryDelayMs } = actor.getSnapshot().context;
    expect(retryDelayMs).toBeGreaterThanOrEqual(100);
    expect(retryDelayMs).toBeLessThanOrEqual(200);
    expect(retryAt).toBe(retryDelayMs);
    clock.increment(retryDelayMs - 1);
    expect(actor.getSnapshot().value).toEqual({ retrying: 'waiting' });
    clock.increment(1);
    expect(actor.getSnapshot().value).toEqual({ pending: 'ready' });
  });

  it('draws the same jitter from the same seed', () => {
    const policy: RetryPolicy = {
      maxAttempts: 5,
      backoff: { kind: 'exponential', initialDelayMs: 1_000, maxDelayMs: 10_000, jitter: 1 },
    };
    const delays = [1, 1, 2].map((seed) => {
      const { actor, run } = startTask({ retry: policy, seed });
      run(0);
      actor.send({ type: 'fail', error: boom, retryable: true, at: 0 });
      return actor.getSnapshot().context.retryDelayMs;
    });
    expect(delays[0]).toBe(delays[1]);
    expect(delays[2]).not.toBe(delays[0]);
  });

  it('times an attempt out after exactly timeoutMs, aborting the handler', () => {
    const abort = vi.fn();
    const { actor, run, clock, emitted } = startTask({ timeoutMs: 500 }, abort);
    run(0);
    clock.increment(499);
    expect(actor.getSnapshot().value).toEqual({ running: 'timed' });
    clock.increment(1);
    expect(actor.getSnapshot().value).toEqual({ retrying: 'waiting' });
    expect(abort).toHaveBeenCalledTimes(1);
    expect(emitted.at(-1)).toMatchObject({
      type: 'task.retrying',
      at: 500,
      error: { kind: 'timeout', code: 'TaskTimedOut' },
    });
  });

  it('arms no timer at all when no timeout is set', () => {
    const { actor, run, clock } = startTask();
    run(0);
    expect(pendingTimers(actor)).toEqual([]);
    clock.increment(10 * 24 * 3_600_000);
    expect(actor.getSnapshot().value).toEqual({ running: 'untimed' });
  });

  it('retries at once, without a timer, when the backoff is zero', () => {
    const { actor, run, emitted } = startTask({
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 0 } },
    });
    run(0);
    actor.send({ type: 'fail', error: boom, retryable: true, at: 3 });
    expect(actor.getSnapshot().value).toEqual({ pending: 'ready' });
    expect(pendingTimers(actor)).toEqual([]);
    expect(emitted.slice(-2).map((e) => `${e.type}@${e.at}`)).toEqual([
      'task.retrying@3',
      'task.ready@3',
    ]);
  });

  it('counts a lost agent while running as an attempt, but not while only assigned', () => {
    const { actor, run } = startTask();
    actor.send({ type: 'assign', agentId: 'a1', at: 0 });
    actor.send({ type: 'agent.lost', agentId: 'a1', at: 1 });
    expect(actor.getSnapshot().value).toEqual({ pending: 'ready' });
    expect(actor.getSnapshot().context.attempts).toBe(0);
    run(2);
    actor.send({ type: 'agent.lost', agentId: 'a1', at: 3 });
    expect(actor.getSnapshot().value).toEqual({ retrying: 'waiting' });
    expect(actor.getSnapshot().context.lastError).toMatchObject({
      kind: 'agent-lost',
      details: { agentId: 'a1' },
    });
  });

  it('cuts an attempt at its deadline: it fails with DeadlineExceeded, the handler aborted', () => {
    for (const timeoutMs of [500, undefined]) {
      const abort = vi.fn();
      const { actor, clock, emitted } = startTask(
        { deadline: 1_000, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
        abort,
      );
      actor.send({ type: 'assign', agentId: 'a1', at: 900 });
      actor.send({ type: 'start', at: 900 });
      clock.increment(99);
      expect(actor.getSnapshot().value).toEqual({ running: 'timed' });
      clock.increment(1);
      expect(actor.getSnapshot().value).toBe('failed');
      expect(abort).toHaveBeenCalledTimes(1);
      expect(emitted.at(-1)).toMatchObject({
        type: 'task.failed',
        at: 1_000,
        error: { kind: 'deadline', code: 'DeadlineExceeded' },
      });
    }
  });

  it('never starts after its deadline', () => {
    const { actor, emitted } = startTask({ deadline: 1_000 });
    actor.send({ type: 'assign', agentId: 'a1', at: 900 });
    actor.send({ type: 'start', at: 1_001 });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.attempts).toBe(0);
    expect(emitted.at(-1)).toMatchObject({
      type: 'task.failed',
      error: { kind: 'deadline', code: 'DeadlineExceeded' },
    });
  });

  it('fails while retrying when its deadline is reached', () => {
    const { actor, run } = startTask({ deadline: 50 });
    run(0);
    actor.send({ type: 'fail', error: boom, retryable: true, at: 10 });
    actor.send({ type: 'deadline.reached', at: 50 });
    expect(actor.getSnapshot().value).toBe('failed');
  });

  it('waits for every dependency and fails naming the one that failed', () => {
    const { actor, emitted } = startTask({ dependsOn: ['d1', 'd2'] });
    expect(actor.getSnapshot().value).toEqual({ pending: 'blocked' });
    actor.send({ type: 'dependency.completed', taskId: 'd1', at: 1 });
    expect(actor.getSnapshot().value).toEqual({ pending: 'blocked' });
    actor.send({ type: 'dependency.failed', taskId: 'd2', reason: 'timed out', at: 2 });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(emitted.at(-1)).toMatchObject({
      type: 'task.failed',
      error: { kind: 'dependency', message: 'dependency d2 did not complete: timed out' },
    });
  });

  it('becomes ready once all dependencies completed', () => {
    const { actor } = startTask({ dependsOn: ['d1', 'd2', 'd1'] });
    actor.send({ type: 'dependency.completed', taskId: 'd1', at: 1 });
    actor.send({ type: 'dependency.completed', taskId: 'd2', at: 2 });
    expect(actor.getSnapshot().value).toEqual({ pending: 'ready' });
  });

  it('cancels a running attempt through the abort hook', () => {
    const abort = vi.fn();
    const { actor, run, emitted } = startTask({}, abort);
    run(0);
    actor.send({ type: 'cancel', reason: 'user asked', at: 7 });
    expect(actor.getSnapshot().value).toBe('cancelled');
    expect(abort).toHaveBeenCalledTimes(1);
    expect(emitted.at(-1)).toMatchObject({ type: 'task.cancelled', reason: 'user asked', at: 7 });
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('records progress and heartbeats while running', () => {
    const { actor, run } = startTask();
    run(0);
    actor.send({ type: 'progress', progress: 0.4, note: 'resizing', at: 3 });
    actor.send({ type: 'heartbeat', at: 9 });
    expect(actor.getSnapshot().context).toMatchObject({
      progress: 0.4,
      progressNote: 'resizing',
      lastHeartbeatAt: 9,
    });
  });
});
