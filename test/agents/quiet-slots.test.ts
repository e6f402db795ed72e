// Quiet slots (issue 13): an agent's machine holds reusable slot tokens and hears a slot
// filling or emptying, not a handover per task; a quiet handover counts as a heartbeat at
// most once per interval. Counted through XState's inspection of the agent's actor.
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent, SimulatedClock } from 'xstate';
import type { AgentContext } from '../../machines/agent.js';
import type { OverseerSystem } from '../../src/index.js';
import { nextTimerAt } from '../../src/testing/simulate.js';
import { settle, startSystem } from '../support/system-harness.js';

/** What the agent's machine received and held, seen through the system's inspector. */
function watchAgent(agentId: string) {
  const received: { type: string; at?: number }[] = [];
  const tokens = new Set<string>();
  let maxHeld = 0;
  let maxGpu = 0;
  const inspect = (e: InspectionEvent) => {
    if ((e.actorRef as { id?: string }).id !== `agent:${agentId}`) return;
    if (e.type === '@xstate.event') received.push(e.event as { type: string; at?: number });
    if (e.type !== '@xstate.snapshot') return;
    const { context } = e.snapshot as unknown as { context: AgentContext };
    const held = Object.keys(context.tasks);
    maxHeld = Math.max(maxHeld, held.length);
    maxGpu = Math.max(maxGpu, context.inUse.gpu ?? 0);
    for (const token of held) tokens.add(token);
  };
  const count = (type: string) => received.filter((e) => e.type === type).length;
  return { inspect, received, tokens, count, maxHeld: () => maxHeld, maxGpu: () => maxGpu };
}

function agentRef(system: OverseerSystem, agentId: string): AnyActorRef {
  const children = system.rootActor?.getSnapshot().children as Record<string, AnyActorRef>;
  const ref = children?.[`agent:${agentId}`];
  if (!ref) throw new Error(`no actor for agent ${agentId}`);
  return ref;
}
const contextOf = (system: OverseerSystem, agentId: string) =>
  agentRef(system, agentId).getSnapshot().context as AgentContext;
const heldBy = (system: OverseerSystem, agentId: string) =>
  system.agents().find((a) => a.id === agentId)?.tasks ?? [];
const wait = (clock: SimulatedClock, ms: number) =>
  new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

describe('quiet slots', () => {
  it('costs the agent machine O(1) events per task at concurrency 100', async () => {
    const watch = watchAgent('a');
    const samples: { taskId: string; held: readonly string[] }[] = [];
    let runs = 0;
    const { system, of } = startSystem({
      inspect: watch.inspect,
      agents: [
        {
          id: 'a',
          concurrency: 100,
          handler: (_input: unknown, ctx: { taskId: string }) => {
            if (++runs % 37 === 0) samples.push({ taskId: ctx.taskId, held: heldBy(system, 'a') });
            return undefined;
          },
        },
      ],
    });
    const ids = Array.from({ length: 2_000 }, (_, i) => `t${i + 1}`);
    const handles = await system.submitMany(ids.map((id) => ({ id, type: 'noop' })));
    await Promise.all(handles.map((h) => h.result()));

    expect(of('task.completed')).toHaveLength(2_000);
    // Each slot fills once and empties once; no task in between is heard.
    expect(watch.count('task.assign')).toBe(100);
    expect(watch.count('task.release')).toBe(100);
    expect(watch.count('task.handover')).toBe(0);
    expect(watch.received.length).toBeLessThan(300);
    // The machine holds reusable tokens, never more than its concurrency.
    expect(watch.maxHeld()).toBe(100);
    expect(watch.tokens.size).toBeLessThanOrEqual(100);
    for (const token of watch.tokens) expect(token).toMatch(/^slot-\d+$/);
    // The system reports task ids, the running one among them, never tokens.
    const known = new Set(ids);
    expect(samples.length).toBeGreaterThan(50);
    for (const { taskId, held } of samples) {
      expect(held).toContain(taskId);
      expect(held.length).toBeLessThanOrEqual(100);
      expect(new Set(held).size).toBe(held.length);
      expect(held.filter((id) => !known.has(id))).toEqual([]);
    }
    expect(system.agents()).toMatchObject([{ id: 'a', state: 'idle', tasks: [] }]);
  });

  it('keeps a busy manual agent healthy on quiet handovers alone, one heartbeat per interval', async () => {
    const watch = watchAgent('m');
    const interval = 250;
    const timeout = 1_000;
    const { system, clock, advance, of } = startSystem({
      inspect: watch.inspect,
      heartbeatIntervalMs: interval,
      heartbeatTimeoutMs: timeout,
      agents: [
        {
          id: 'm',
          heartbeat: 'manual',
          concurrency: 10,
          // Never calls ctx.heartbeat: only finishing tasks proves it alive.
          handler: (input: { ms: number }) => wait(clock, input.ms),
        },
      ],
    });
    const n = 3_000;
    const handles = await system.submitMany(
      Array.from({ length: n }, (_, i) => ({ type: 'w', input: { ms: 40 + ((i * 7) % 41) } })),
    );
    while (of('task.completed').length < n && clock.now() < 60_000) await advance(1_000);

    expect(of('agent.unresponsive')).toEqual([]);
    expect(of('agent.failed')).toEqual([]);
    expect(of('task.completed')).toHaveLength(n);
    await Promise.all(handles.map((h) => h.result()));
    expect(clock.now()).toBeGreaterThan(10 * timeout);
    expect(watch.count('task.handover')).toBe(0);
    const beats = watch.received.filter((e) => e.type === 'heartbeat').map((e) => e.at ?? NaN);
    expect(beats.length).toBeGreaterThan(clock.now() / timeout);
    for (let i = 1; i < beats.length; i++)
      expect((beats[i] ?? 0) - (beats[i - 1] ?? 0)).toBeGreaterThanOrEqual(interval);
    expect(system.agents()).toMatchObject([{ id: 'm', state: 'idle', restarts: 0 }]);
  });

  it('detects a hung agent under load, names its held tasks, restarts it and retries them', async () => {
    const interval = 250;
    const timeout = 1_000;
    let hanging = false;
    const hung = new Set<string>();
    const { system, clock, advance, of } = startSystem({
      heartbeatIntervalMs: interval,
      heartbeatTimeoutMs: timeout,
      restartBackoff: { kind: 'fixed', delayMs: 100 },
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
      agents: [
        {
          id: 'h',
          heartbeat: 'manual',
          concurrency: 10,
          handler: (_input: unknown, ctx: { taskId: string; attempt: number }) => {
            if (!hanging || ctx.attempt > 1) return wait(clock, 50);
            hung.add(ctx.taskId);
            return new Promise(() => undefined);
          },
        },
      ],
    });
    // The restarted agent works again.
    system.on('agent.unresponsive', () => {
      hanging = false;
    });
    const handles = await system.submitMany(Array.from({ length: 100 }, () => ({ type: 'w' })));
    await advance(320);
    hanging = true;
    await advance(3 * timeout);

    const [unresponsive, ...more] = of('agent.unresponsive');
    expect(more).toEqual([]);
    expect(unresponsive?.agentId).toBe('h');
    expect(hung.size).toBe(10);
    expect([...(unresponsive?.tasks ?? [])].sort()).toEqual([...hung].sort());
    expect(unresponsive?.tasks.filter((id) => id.startsWith('slot-'))).toEqual([]);
    const detectedAt = unresponsive?.at ?? NaN;
    const lastCompletion = Math.max(
      ...of('task.completed')
        .filter((e) => e.at <= detectedAt)
        .map((e) => e.at),
    );
    // Quiet handovers counted as heartbeats until the last completion, at most one interval stale.
    expect(detectedAt).toBeLessThanOrEqual(lastCompletion + timeout + interval);
    expect(detectedAt).toBeGreaterThan(lastCompletion + timeout - interval);
    expect(of('agent.failed')).toMatchObject([{ agentId: 'h', exit: { reason: 'unresponsive' } }]);
    expect(of('agent.restarted')).toMatchObject([{ agentId: 'h' }]);
    const lost = of('task.retrying').filter((e) => e.error.kind === 'agent-lost');
    expect(lost.map((e) => e.taskId).sort()).toEqual([...hung].sort());

    await advance(10 * timeout);
    expect(of('task.completed')).toHaveLength(100);
    await Promise.all(handles.map((h) => h.result()));
    for (const id of hung)
      expect(system.task(id)).toMatchObject({ state: 'completed', attempts: 2 });
    expect(system.agents()).toMatchObject([{ id: 'h', state: 'idle', restarts: 1, tasks: [] }]);
  });

  it('drains a busy agent: it takes no new task, finishes what it holds, stops, and the rest runs elsewhere', async () => {
    const { system, clock, advance, events, of } = startSystem({
      agents: [
        { id: 'a', concurrency: 5, restart: 'transient', handler: () => wait(clock, 100) },
        { id: 'b', concurrency: 1, handler: () => wait(clock, 100) },
      ],
    });
    const handles = await system.submitMany(Array.from({ length: 60 }, () => ({ type: 'w' })));
    await advance(250);
    const held = [...heldBy(system, 'a')];
    expect(held).toHaveLength(5);
    const before = new Set(of('task.completed').map((e) => e.taskId));
    const mark = events.length;
    agentRef(system, 'a').send({ type: 'drain' });
    expect(system.agents().find((a) => a.id === 'a')?.state).toBe('draining');
    await advance(10_000);

    const after = events.slice(mark);
    const completedAfter = after.filter((e) => e.type === 'task.completed');
    expect(after.filter((e) => e.type === 'task.started' && e.agentId === 'a')).toEqual([]);
    expect(after.filter((e) => e.type === 'task.assigned' && e.agentId === 'a')).toEqual([]);
    for (const id of held)
      expect(system.task(id)).toMatchObject({ state: 'completed', attempts: 1 });
    const heldDoneAt = Math.max(
      ...completedAfter.filter((e) => held.includes(e.taskId)).map((e) => e.at),
    );
    expect(of('agent.removed')).toMatchObject([{ agentId: 'a', at: heldDoneAt }]);
    expect(of('agent.failed')).toEqual([]);
    await Promise.all(handles.map((h) => h.result()));
    expect(of('task.completed')).toHaveLength(60);
    const rest = completedAfter.map((e) => e.taskId).filter((id) => !held.includes(id));
    expect(rest.length).toBe(60 - before.size - held.length);
    for (const id of rest) expect(system.task(id)).toMatchObject({ agentId: 'b', attempts: 1 });
  });

  it('keeps the machine’s resources in use equal to those of the running tasks, within limits', async () => {
    const watch = watchAgent('g');
    const { system, clock, events, of } = startSystem({
      inspect: watch.inspect,
      agents: [
        {
          id: 'g',
          concurrency: 3,
          resources: { gpu: 2 },
          handler: (input: { ms: number }) => wait(clock, input.ms),
        },
      ],
    });
    const n = 60;
    const gpuOf = new Map<string, number>();
    const specs = Array.from({ length: n }, (_, i) => {
      gpuOf.set(`r${i}`, i % 2 === 0 ? 1 : 0);
      return {
        id: `r${i}`,
        type: 'w',
        input: { ms: 20 + ((i * 13) % 30) },
        resources: i % 2 === 0 ? { gpu: 1 } : {},
      };
    });
    await system.submitMany(specs);
    let maxGpu = 0;
    let checks = 0;
    for (let due = nextTimerAt(clock); due !== undefined; due = nextTimerAt(clock)) {
      clock.set(Math.max(due, clock.now()));
      await settle();
      const running = new Set<string>();
      for (const e of events) {
        if (e.type === 'task.started') running.add(e.taskId);
        else if (e.type === 'task.completed') running.delete(e.taskId);
      }
      const context = contextOf(system, 'g');
      const gpu = [...running].reduce((sum, id) => sum + (gpuOf.get(id) ?? 0), 0);
      expect(context.inUse.gpu ?? 0).toBe(gpu);
      expect(Object.keys(context.tasks)).toHaveLength(running.size);
      expect([...heldBy(system, 'g')].sort()).toEqual([...running].sort());
      maxGpu = Math.max(maxGpu, gpu);
      checks++;
    }
    expect(of('task.completed')).toHaveLength(n);
    expect(checks).toBeGreaterThanOrEqual(20);
    expect(maxGpu).toBe(2);
    // Nor in any state the machine passed through.
    expect(watch.maxHeld()).toBeLessThanOrEqual(3);
    expect(watch.maxGpu()).toBe(2);
    // Handovers that change the resources held are heard; same-resource ones are not.
    const heard = watch.count('task.handover');
    expect(heard).toBeGreaterThan(0);
    expect(heard + watch.count('task.assign')).toBeLessThan(n);
    expect(contextOf(system, 'g')).toMatchObject({ tasks: {} });
  });

  // Regressions found while writing these tests (both pass before quiet slots, ee5aa3f^).
  it('frees both slots when a retry runs beside its own late attempt on one agent', async () => {
    const { system, clock, advance } = startSystem({
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 20 } },
      abortGraceMs: 2_000,
      agents: [
        {
          id: 'late',
          concurrency: 2,
          // Attempt 1 outlives its 200 ms timeout; the retry (due at 220) finishes first.
          handler: (_input: unknown, ctx: { attempt: number }) =>
            wait(clock, ctx.attempt === 1 ? 300 : 10).then(() => ctx.attempt),
        },
      ],
    });
    const handle = await system.submit({ id: 'late-1', type: 'x', timeoutMs: 200 });
    await advance(1_000);
    expect(await handle.result()).toBe(2);
    expect(contextOf(system, 'late').tasks).toEqual({});
    expect(system.agents()).toMatchObject([{ id: 'late', state: 'idle', tasks: [] }]);
  });

  it('keeps a manual agent that completes a task every 350 ms healthy (interval 900, timeout 1000)', async () => {
    const { system, clock, advance, of } = startSystem({
      heartbeatIntervalMs: 900,
      heartbeatTimeoutMs: 1_000,
      agents: [{ id: 'm', heartbeat: 'manual', handler: () => wait(clock, 350) }],
    });
    await system.submitMany(Array.from({ length: 20 }, () => ({ type: 'w' })));
    await advance(8_000);
    expect(of('agent.unresponsive')).toEqual([]);
    expect(of('task.completed')).toHaveLength(20);
  });
});
