// The compiled actor's surface, by example, each against what XState does in the same
// place: a throwing emit listener, sends made while the actor is busy, a throwing action,
// and the end of an actor (its parent told, its timers gone).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assign, raise, setup } from 'xstate';
import { taskMachine } from '../../machines/task.js';
import { type DifferentialCase, describeMismatch, runDifferential } from './differential.js';
import { compiledSide } from './differential-sides.js';
import { KINDS, parented } from './parented.js';

const input = {
  taskId: 't1',
  retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 100 } },
  timeoutMs: 500,
  submittedAt: 0,
  seed: 7,
} as const;
const assignTo = (agentId: string, at: number) => ({ type: 'assign', agentId, at });
const started = [{ send: assignTo('a1', 1) }, { send: { type: 'start', at: 2 } }] as const;

/** Both sides agree on `c`, and the compiled side ends as `expected` says. */
function agreeOn(c: DifferentialCase, expected: { value: unknown; emitted: string[] }) {
  const mismatch = runDifferential(c);
  expect(mismatch && describeMismatch(mismatch)).toBeUndefined();
  const side = compiledSide(c.compiled ?? c.machine, c.input, 'subject', c.react);
  side.start();
  for (const step of c.steps) if ('send' in step) side.send(step.send);
  const seen = side.observe();
  expect(seen.value).toEqual(expected.value);
  expect(seen.emitted.map((e) => (e as { type: string }).type)).toEqual(expected.emitted);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the compiled actor surface', () => {
  it('keeps running when an emit listener throws, and reports the error on its own', () => {
    // Both report a listener's error from a timer of its own, as an uncaught exception.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const listenerFailed = new Error('listener failed');
    agreeOn(
      {
        machine: taskMachine,
        input,
        steps: [...started, { send: { type: 'complete', output: 1, at: 3 } }],
        react: (event) => {
          if (event.type === 'task.assigned') throw listenerFailed;
        },
      },
      {
        value: 'completed',
        emitted: ['task.ready', 'task.assigned', 'task.started', 'task.completed'],
      },
    );
    // Two runs by the runner (XState, compiled) and the compiled one above: one report each.
    expect(vi.getTimerCount()).toBe(3);
    for (let i = 0; i < 3; i++) expect(() => vi.advanceTimersToNextTimer()).toThrow(listenerFailed);
  });

  /** Interrupted, back in `ready`, then assigned again by the event sent meanwhile. */
  const reassigned = {
    value: 'assigned',
    emitted: [
      'task.ready',
      'task.assigned',
      'task.started',
      'task.interrupted',
      'task.ready',
      'task.assigned',
    ],
  };

  it('queues an event a custom action sends, and takes it after the current step', () => {
    // `interrupt` aborts the attempt; the abort hook sends `assign`, which only a task
    // back in `ready` takes: taken at once, in `running`, it would be ignored.
    const machine = taskMachine.provide({
      actions: { abortAttempt: ({ self }) => self.send({ type: 'assign', agentId: 'a2', at: 4 }) },
    });
    agreeOn(
      { machine, input, steps: [...started, { send: { type: 'interrupt', reason: 'x', at: 3 } }] },
      reassigned,
    );
  });

  it('queues an event an emit listener sends, after the step and its other emits', () => {
    // `interrupt` emits task.interrupted then task.ready; the listener's `assign` comes after both.
    agreeOn(
      {
        machine: taskMachine,
        input,
        steps: [...started, { send: { type: 'interrupt', reason: 'x', at: 3 } }],
        react: (event, send) => {
          if (event.type === 'task.interrupted') send(assignTo('a2', 4));
        },
      },
      reassigned,
    );
  });

  it('queues an event an emit listener sends while the actor starts', () => {
    agreeOn(
      {
        machine: taskMachine,
        input,
        steps: [],
        react: (event, send) => {
          if (event.type === 'task.ready') send(assignTo('a1', 0));
        },
      },
      { value: 'assigned', emitted: ['task.ready', 'task.assigned'] },
    );
  });

  it('fails on a throwing action: status error, the step undone, the parent told', () => {
    const broken = new Error('abort failed');
    const machine = taskMachine.provide({
      actions: {
        abortAttempt: () => {
          throw broken;
        },
      },
    });
    const steps = [...started, { send: { type: 'cancel', at: 3 } }];
    // Without a parent, the runner sees the same snapshots and no emitted task.cancelled.
    const mismatch = runDifferential({ machine, input, steps });
    expect(mismatch && describeMismatch(mismatch)).toBeUndefined();
    const [xstate, compiled] = KINDS.map((kind) => {
      const run = parented(kind, machine, { id: 'task:t1', input });
      run.child.start();
      for (const step of steps) run.child.send(step.send);
      const { value, status, error } = run.child.getSnapshot();
      return { value, status, error, received: run.received, pending: run.pending() };
    });
    expect(compiled).toEqual(xstate);
    expect(compiled?.status).toBe('error');
    expect(compiled?.error).toBe(broken);
    expect(compiled?.value).toEqual(xstate?.value);
    expect(compiled?.received).toEqual([
      { type: 'xstate.error.actor.task:t1', error: broken, actorId: 'task:t1' },
    ]);
  });

  it('on reaching a final state tells its parent and cancels its pending timers', () => {
    // The timer outlives its state: only the actor's end cancels it.
    const ticking = setup({
      types: { context: {} as { ticks: number }, events: {} as { type: 'tick' | 'finish' } },
    }).createMachine({
      id: 'ticking',
      context: { ticks: 0 },
      initial: 'waiting',
      states: {
        waiting: {
          entry: raise({ type: 'tick' }, { id: 'tick', delay: 100 }),
          on: {
            finish: 'done',
            tick: { actions: assign({ ticks: ({ context }) => context.ticks + 1 }) },
          },
        },
        done: { type: 'final' },
      },
      output: ({ context }) => ({ ticks: context.ticks }),
    });
    const [xstate, compiled] = KINDS.map((kind) => {
      const run = parented(kind, ticking, { id: 'ticker' });
      run.child.start();
      const before = run.pending();
      run.child.send({ type: 'finish' });
      const after = run.pending();
      // A timer left behind would deliver to a stopped actor, which fails the test.
      run.clock.increment(1_000);
      const { status, output } = run.child.getSnapshot();
      return { before, after, status, output, received: run.received };
    });
    expect(compiled).toEqual(xstate);
    expect(compiled?.before).toEqual([{ id: 'tick', type: 'tick', delay: 100 }]);
    expect(compiled?.after).toEqual([]);
    expect(compiled?.received).toEqual([
      { type: 'xstate.done.actor.ticker', output: { ticks: 0 }, actorId: 'ticker' },
    ]);
  });

  it("relays a task's output to its parent as XState does", () => {
    const [xstate, compiled] = KINDS.map((kind) => {
      const run = parented(kind, taskMachine, { id: 'task:t1', input });
      run.child.start();
      for (const step of started) run.child.send(step.send);
      const during = run.pending();
      run.child.send({ type: 'complete', output: { rows: 2 }, at: 3 });
      return { during, after: run.pending(), received: run.received };
    });
    expect(compiled).toEqual(xstate);
    expect(compiled?.during.map((t) => t.delay)).toEqual([input.timeoutMs]);
    expect(compiled?.received).toEqual([
      {
        type: 'xstate.done.actor.task:t1',
        output: { taskId: 't1', attempts: 1, output: { rows: 2 }, error: null },
        actorId: 'task:t1',
      },
    ]);
  });
});
