import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { type AgentEmitted, agentMachine } from '../../machines/agent.js';

function startAgent() {
  const clock = new SimulatedClock();
  const emitted: AgentEmitted[] = [];
  const actor = createActor(agentMachine, {
    clock,
    input: {
      agentId: 'gpu-1',
      capabilities: ['gpu'],
      resources: { gpu: 1, memory: 8 },
      slots: 2,
      heartbeatTimeoutMs: 1_000,
    },
  });
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  actor.send({ type: 'ready', at: 0 });
  return { actor, clock, emitted, value: () => actor.getSnapshot().value };
}

describe('agent lifecycle', () => {
  it('is unresponsive exactly heartbeatTimeoutMs after the last heartbeat', () => {
    const { clock, value, actor, emitted } = startAgent();
    actor.send({ type: 'task.assign', taskId: 't1', resources: { gpu: 1 }, at: 0 });
    clock.increment(600);
    actor.send({ type: 'heartbeat', at: 600 });
    clock.increment(999);
    expect(value()).toEqual({ online: 'busy' });
    clock.increment(1);
    expect(value()).toBe('unresponsive');
    expect(emitted.at(-1)).toEqual({ type: 'agent.unresponsive', agentId: 'gpu-1', tasks: ['t1'] });
    actor.send({ type: 'terminate', at: 1_700 });
    expect(actor.getSnapshot().output).toMatchObject({
      exit: { kind: 'abnormal', reason: 'unresponsive' },
      tasks: ['t1'],
    });
  });

  it('ignores heartbeats once unresponsive: it never returns to service', () => {
    const { clock, value, actor } = startAgent();
    actor.send({ type: 'task.assign', taskId: 't1', at: 0 });
    clock.increment(1_000);
    actor.send({ type: 'heartbeat', at: 1_001 });
    expect(value()).toBe('unresponsive');
  });

  it('refuses an assignment that would exceed its slots or resources', () => {
    const { actor, emitted, value } = startAgent();
    actor.send({ type: 'task.assign', taskId: 't1', resources: { gpu: 1 }, at: 1 });
    actor.send({ type: 'task.assign', taskId: 't2', resources: { gpu: 1 }, at: 1 });
    actor.send({ type: 'task.assign', taskId: 't3', resources: { memory: 4 }, at: 1 });
    actor.send({ type: 'task.assign', taskId: 't4', at: 1 });
    expect(value()).toEqual({ online: 'busy' });
    expect(Object.keys(actor.getSnapshot().context.tasks)).toEqual(['t1', 't3']);
    expect(actor.getSnapshot().context.inUse).toEqual({ gpu: 1, memory: 4 });
    expect(
      emitted
        .filter((e) => e.type === 'agent.rejected')
        .map((e) => e.type === 'agent.rejected' && e.taskId),
    ).toEqual(['t2', 't4']);
  });

  it('frees resources on release and turns idle with the last task', () => {
    const { actor, value } = startAgent();
    actor.send({ type: 'task.assign', taskId: 't1', resources: { gpu: 1 }, at: 1 });
    actor.send({ type: 'task.assign', taskId: 't2', resources: { memory: 2 }, at: 1 });
    actor.send({ type: 'task.release', taskId: 't1', at: 2 });
    expect(value()).toEqual({ online: 'busy' });
    actor.send({ type: 'task.release', taskId: 't2', at: 3 });
    expect(value()).toEqual({ online: 'idle' });
    expect(actor.getSnapshot().context.inUse).toEqual({ gpu: 0, memory: 0 });
  });

  it('hands a finished task over to the next in one step, staying busy; it counts as a heartbeat', () => {
    const { actor, value, clock, emitted } = startAgent();
    actor.send({ type: 'task.assign', taskId: 't1', resources: { gpu: 1 }, at: 0 });
    clock.increment(300);
    actor.send({
      type: 'task.handover',
      releaseTaskId: 't1',
      taskId: 't2',
      resources: { gpu: 1 },
      at: 300,
    });
    expect(value()).toEqual({ online: 'busy' });
    expect(Object.keys(actor.getSnapshot().context.tasks)).toEqual(['t2']);
    expect(actor.getSnapshot().context.inUse).toEqual({ gpu: 1 });
    expect(actor.getSnapshot().context.lastHeartbeatAt).toBe(300);
    expect(emitted.map((e) => e.type)).toEqual(['agent.ready', 'agent.busy']);
    // Silence is measured from the handover: unresponsive at 300 + 1000, not at 1000.
    clock.increment(999);
    expect(value()).toEqual({ online: 'busy' });
    clock.increment(1);
    expect(value()).toBe('unresponsive');
  });

  it('refuses a handover the freed room cannot take, releasing all the same', () => {
    const { actor, value } = startAgent();
    const rejected: string[] = [];
    actor.on('agent.rejected', (e) => rejected.push(e.taskId));
    actor.send({ type: 'task.assign', taskId: 't1', resources: { gpu: 1 }, at: 0 });
    actor.send({
      type: 'task.handover',
      releaseTaskId: 't1',
      taskId: 't2',
      resources: { gpu: 5 },
      at: 1,
    });
    expect(rejected).toEqual(['t2']);
    expect(value()).toEqual({ online: 'idle' });
    expect(actor.getSnapshot().context.inUse).toEqual({ gpu: 0 });
  });

  it('drains: finishes held tasks, takes no new ones, then stops normally', () => {
    const { actor, value } = startAgent();
    actor.send({ type: 'task.assign', taskId: 't1', at: 1 });
    actor.send({ type: 'drain' });
    expect(value()).toEqual({ online: 'draining' });
    actor.send({ type: 'task.assign', taskId: 't2', at: 2 });
    expect(Object.keys(actor.getSnapshot().context.tasks)).toEqual(['t1']);
    actor.send({ type: 'task.release', taskId: 't1', at: 3 });
    expect(value()).toBe('stopped');
    expect(actor.getSnapshot().output).toMatchObject({
      exit: { kind: 'normal', reason: 'drained' },
    });
  });

  it('watches no heartbeat while idle: an idle agent holds no lease', () => {
    const { clock, value } = startAgent();
    clock.increment(60_000);
    expect(value()).toEqual({ online: 'idle' });
  });

  it('crashes abnormally with the message it was given', () => {
    const { actor } = startAgent();
    actor.send({ type: 'crash', message: 'out of memory', at: 4 });
    expect(actor.getSnapshot().output).toMatchObject({
      exit: { kind: 'abnormal', reason: 'crash', message: 'out of memory' },
    });
  });
});
