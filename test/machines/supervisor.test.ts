import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, SimulatedClock, setup } from 'xstate';
import type { ChildSpec, RestartStrategy } from '../../machines/child-spec.js';
import type { SupervisorEmitted, SupervisorMachineInput } from '../../machines/supervisor.js';
import { supervisorTree } from '../../machines/supervisor-tree.js';

const agentSpec = (id: string, restart: ChildSpec['restart'] = 'permanent'): ChildSpec => ({
  id,
  src: 'agent',
  restart,
  shutdownTimeoutMs: 1_000,
  input: { agentId: id, capabilities: [], heartbeatTimeoutMs: 60_000 },
});

function startSupervisor(input: Partial<SupervisorMachineInput>, tree = supervisorTree()) {
  const clock = new SimulatedClock();
  const emitted: SupervisorEmitted[] = [];
  const actor = createActor(tree, {
    clock,
    input: { supervisorId: 'root', children: ['a', 'b', 'c'].map((id) => agentSpec(id)), ...input },
  });
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const child = (id: string) => actor.getSnapshot().children[id] as AnyActorRef;
  const crash = (id: string) =>
    child(id).send({ type: 'crash', message: `${id} crashed`, at: clock.now() });
  return { actor, clock, emitted, child, crash };
}

describe.each<[RestartStrategy, string[]]>([
  ['one_for_one', ['b']],
  ['one_for_all', ['a', 'b', 'c']],
  ['rest_for_one', ['b', 'c']],
])('%s', (strategy, restarted) => {
  it(`restarts ${restarted.join(', ')} when b crashes`, () => {
    const { actor, child, crash, emitted } = startSupervisor({ strategy });
    const before = { a: child('a'), b: child('b'), c: child('c') };
    crash('b');
    for (const id of ['a', 'b', 'c'] as const) {
      expect(child(id) !== before[id], `${id} restarted`).toBe(restarted.includes(id));
      expect(child(id).getSnapshot().status).toBe('active');
    }
    expect(actor.getSnapshot().context.live).toEqual(['a', 'b', 'c']);
    expect(emitted).toEqual([
      {
        type: 'supervisor.restarted',
        supervisorId: 'root',
        childId: 'b',
        exit: { kind: 'abnormal', reason: 'crash', message: 'b crashed' },
        restarted,
      },
    ]);
  });
});

describe('restart types', () => {
  it('does not restart a transient child that exits normally, nor a temporary one that crashes', () => {
    const { actor, child, crash } = startSupervisor({
      children: [agentSpec('t', 'transient'), agentSpec('tmp', 'temporary'), agentSpec('p')],
    });
    child('t').send({ type: 'drain' });
    crash('tmp');
    expect(actor.getSnapshot().context.live).toEqual(['p']);
    expect(actor.getSnapshot().context.children.map((s) => s.id)).toEqual(['t', 'p']);
    expect(Object.keys(actor.getSnapshot().children)).toEqual(['p']);
  });

  it('restarts a transient child that crashes', () => {
    const { child, crash } = startSupervisor({ children: [agentSpec('t', 'transient')] });
    const first = child('t');
    crash('t');
    expect(child('t')).not.toBe(first);
  });
});

describe('restart intensity', () => {
  const intensity = { maxRestarts: 1, periodMs: 5_000 };

  it('fails, stopping every child, on the second restart within the period', () => {
    const { actor, clock, crash, child, emitted } = startSupervisor({ intensity });
    const c = child('c');
    crash('a');
    clock.increment(4_999);
    crash('b');
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().children).toEqual({});
    expect(c.getSnapshot().status).toBe('stopped');
    expect(actor.getSnapshot().output).toMatchObject({
      exit: { kind: 'abnormal', reason: 'restart-intensity' },
    });
    expect(emitted.at(-1)).toMatchObject({
      type: 'supervisor.escalated',
      childId: 'b',
      restartsInWindow: 1,
    });
  });

  it('forgets a restart once the period has passed', () => {
    const { actor, clock, crash } = startSupervisor({ intensity });
    crash('a');
    clock.increment(5_000);
    crash('b');
    expect(actor.getSnapshot().value).toBe('running');
    expect(actor.getSnapshot().context.recentRestarts).toEqual([{ childId: 'b', reason: 'crash' }]);
  });

  it('survives a child whose logic throws on every start, failing by intensity instead of erroring', () => {
    const throwsAtStart = setup({
      actions: {
        explode: () => {
          throw new Error('bad init');
        },
      },
    }).createMachine({
      entry: 'explode',
    });
    const { actor } = startSupervisor(
      {
        children: [{ id: 'x', src: 'agent', restart: 'permanent', shutdownTimeoutMs: 0 }],
        intensity: { maxRestarts: 3, periodMs: 1_000 },
      },
      supervisorTree(throwsAtStart),
    );
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.restartCount).toBe(3);
    expect(actor.getSnapshot().output).toMatchObject({ exit: { reason: 'restart-intensity' } });
  });
});

describe('supervision tree', () => {
  it('escalates through two levels when intensity is exceeded at each', () => {
    const pool: ChildSpec = {
      id: 'pool',
      src: 'supervisor',
      restart: 'permanent',
      shutdownTimeoutMs: 1_000,
      input: {
        supervisorId: 'pool',
        intensity: { maxRestarts: 0, periodMs: 5_000 },
        children: [agentSpec('w')],
      },
    };
    const { actor, child, emitted } = startSupervisor({
      children: [pool],
      intensity: { maxRestarts: 1, periodMs: 5_000 },
    });
    const worker = () => child('pool').getSnapshot().children.w as AnyActorRef;
    const firstPool = child('pool');
    worker().send({ type: 'crash', message: 'w crashed', at: 0 });
    expect(firstPool.getSnapshot().value).toBe('failed');
    expect(child('pool')).not.toBe(firstPool);
    expect(worker().getSnapshot().value).toBe('starting');
    expect(emitted.at(-1)).toMatchObject({
      type: 'supervisor.restarted',
      childId: 'pool',
      exit: { reason: 'restart-intensity' },
    });
    worker().send({ type: 'crash', message: 'w crashed again', at: 1 });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().output).toMatchObject({
      exit: { kind: 'abnormal', reason: 'restart-intensity' },
    });
  });
});

describe('shutdown', () => {
  it('drains children in reverse start order and stops once they have', () => {
    const { actor, child } = startSupervisor({});
    const drained: string[] = [];
    for (const id of ['a', 'b', 'c']) child(id).subscribe({ complete: () => drained.push(id) });
    actor.send({ type: 'drain' });
    expect(drained).toEqual(['c', 'b', 'a']);
    expect(actor.getSnapshot().value).toBe('stopped');
  });

  it('stops a child that does not drain within its shutdown timeout', () => {
    const { actor, child, clock } = startSupervisor({});
    child('b').send({ type: 'ready', at: 0 });
    child('b').send({ type: 'task.assign', taskId: 't1', at: 0 });
    actor.send({ type: 'drain' });
    expect(actor.getSnapshot().value).toBe('stopping');
    clock.increment(999);
    expect(actor.getSnapshot().value).toBe('stopping');
    const b = child('b');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('stopped');
    expect(b.getSnapshot().status).toBe('stopped');
  });
});
