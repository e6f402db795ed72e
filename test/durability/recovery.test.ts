import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createSystem, type OverseerSystem } from '../../src/index.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { advanceClock } from '../support/system-harness.js';
import { HEARTBEAT_TIMEOUT, systemOn } from './restarting-system.js';

const submitFour = (system: OverseerSystem) =>
  system.submitMany(
    ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      type: 'step',
      input: id,
      idempotencyKey: `key-${id}`,
    })),
  );

async function crashWithBRunning(store: Store) {
  const ran: string[] = [];
  const first = systemOn(store, 0, ran, new Set(['b']));
  await submitFour(first.system);
  await advanceClock(first.clock, 50);
  // a completed; b runs (and hangs) on the only agent; c and d wait. Then the process
  // "dies": the first system is simply abandoned, never stopped.
  expect(ran).toEqual(['a#1', 'b#1']);
  expect(first.system.task('b').state).toBe('running');
  // A dead process's claim on the store is taken over by the next system on its host (its
  // pid no longer runs); this test's "dead" system shares the test's pid, so its claim is
  // ended here as the process's death would end it.
  const claim = store.claimOwner({ holder: 'probe', now: 0, until: 0 });
  if (!claim.ok) store.releaseOwner(claim.holder);
  return first;
}

describe.each([
  ['memory', () => memoryStore()],
  ['sqlite', () => sqliteStore(join(mkdtempSync(join(tmpdir(), 'overseer-')), 'state.db'))],
])('recovery from a %s store', (_name, openStore) => {
  it('keeps finished tasks finished, requeues waiting ones in order, and retries the one that was running', async () => {
    const store = openStore();
    await crashWithBRunning(store);
    const ran: string[] = [];
    // Restarted after b's lease expired (it was claimed at b's start, for 1 s).
    const second = systemOn(store, 5_000, ran, new Set());
    await advanceClock(second.clock, 100);
    // a never runs again; c and d, queued, run first; b's lost attempt counted, it runs as #2.
    expect(ran[0]).toBe('c#1');
    expect([...ran].sort()).toEqual(['b#2', 'c#1', 'd#1']);
    expect(second.system.task('a')).toMatchObject({ state: 'completed', attempts: 1 });
    expect(second.system.task('b')).toMatchObject({ state: 'completed', attempts: 2 });
    // The first system's result of a is still a's result; a's key still names a.
    const again = await second.system.submit({ type: 'step', input: 'a', idempotencyKey: 'key-a' });
    expect(again.id).toBe('a');
    expect(await again.result()).toBe('a done');
    await second.system.stop({ timeoutMs: 0 });
    await store.close();
  });

  it('waits for a running task’s lease to expire before running it again', async () => {
    const store = openStore();
    await crashWithBRunning(store);
    const ran: string[] = [];
    // Back at 500 ms: b's lease (claimed at ~0, for 1 s) still holds.
    const second = systemOn(store, 500, ran, new Set());
    await advanceClock(second.clock, 400);
    expect(ran).toEqual(['c#1', 'd#1']);
    // Still running, as far as anyone can know, on its agent of the previous run.
    expect(second.system.task('b')).toMatchObject({
      state: 'running',
      agentId: expect.stringMatching(/^w@/),
    });
    await advanceClock(second.clock, 200);
    expect(ran).toEqual(['c#1', 'd#1', 'b#2']);
    await second.system.stop({ timeoutMs: 0 });
    await store.close();
  });
});

describe('leases', () => {
  it('are renewed by the heartbeats of the agent running the task', async () => {
    const store = memoryStore();
    const first = systemOn(store, 0, [], new Set(['b']));
    await submitFour(first.system);
    await advanceClock(first.clock, 3_000);
    // b runs since 0 and its agent heartbeats every 200 ms: the lease reaches past 3 s.
    const lease = store.load(3_000).tasks.find((t) => t.taskId === 'b')?.lease;
    expect(lease?.claimedAt).toBe(0);
    expect(lease?.until).toBeGreaterThan(3_000);
    expect(lease?.until).toBeLessThanOrEqual(3_000 + HEARTBEAT_TIMEOUT);
    expect(lease?.owner).toMatch(/^w@/);
  });
});

describe('write-ahead discipline', () => {
  /** A memory store whose flushes wait until the test lets them through. */
  function gatedStore() {
    const inner = memoryStore();
    const gates: (() => void)[] = [];
    const store: Store = {
      kind: 'gated',
      durable: true,
      appendTask: (r) => inner.appendTask(r),
      appendAgent: (r) => inner.appendAgent(r),
      claimLease: (c) => inner.claimLease(c),
      renewLease: (r) => inner.renewLease(r),
      releaseLease: (id, owner) => inner.releaseLease(id, owner),
      claimOwner: (c) => inner.claimOwner(c),
      releaseOwner: (holder) => inner.releaseOwner(holder),
      expireLeases: (now) => inner.expireLeases(now),
      load: (now) => inner.load(now),
      history: (id) => inner.history(id),
      compact: (o) => inner.compact(o),
      putTeamRun: (run) => inner.putTeamRun(run),
      deleteTeamRun: (id) => inner.deleteTeamRun(id),
      teamRuns: () => inner.teamRuns(),
      flush: () =>
        open
          ? inner.flush()
          : new Promise<void>((resolve) => gates.push(() => inner.flush().then(resolve))),
      close: () => inner.close(),
    };
    let open = false;
    const openAll = () => {
      open = true;
      for (const gate of gates.splice(0)) gate();
    };
    return { store, inner, openNext: () => gates.shift()?.(), openAll };
  }

  it('resolves submit only once the task is durable, and announces a completion only once it is', async () => {
    const { store, inner, openNext, openAll } = gatedStore();
    const clock = new SimulatedClock();
    const system = createSystem({
      clock,
      store,
      agents: [{ id: 'w', handler: async () => 'out' }],
    }).start();
    const completed: string[] = [];
    system.on('task.completed', (e) => completed.push(e.taskId));
    let accepted = false;
    const submitted = system.submit({ id: 'x', type: 't' }).then((h) => {
      accepted = true;
      return h;
    });
    await advanceClock(clock, 10);
    expect(accepted).toBe(false);
    expect(inner.history('x').map((r) => r.kind)).toContain('task.submitted');
    openNext(); // the submission's flush
    const handle = await submitted;
    await advanceClock(clock, 10);
    // The handler has finished and the store holds the completion, but it is not durable
    // yet: status does not show an end a crash could still undo.
    expect(system.task('x').state).toBe('running');
    expect(inner.history('x').at(-1)?.kind).toBe('task.completed');
    expect(completed).toEqual([]);
    let resolved = false;
    const result = handle.result().then((r) => {
      resolved = true;
      return r;
    });
    await advanceClock(clock, 10);
    expect(resolved).toBe(false);
    openNext(); // the completion flush
    expect(await result).toBe('out');
    expect(completed).toEqual(['x']);
    expect(system.task('x')).toMatchObject({ state: 'completed', output: 'out' });
    openAll();
    await system.stop({ timeoutMs: 0 });
  });
});
