// One live system per store: a second system on the same store file is refused, naming
// the holder, so no task runs twice; a holder that died is taken over once its claim ends.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { holderIsDead } from '../../src/durability/store-ownership.js';
import { createSystem, memoryStore, StoreInUse } from '../../src/index.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import { advanceClock, deferred, settle } from '../support/system-harness.js';

describe('one live system per store', () => {
  it('refuses a second system on the same file, which runs none of the first one’s tasks', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'overseer-')), 'state.db');
    const gate = deferred();
    const ran: string[] = [];
    const handler = async (_: unknown, ctx: { taskId: string }) => {
      ran.push(ctx.taskId);
      await gate.promise;
    };
    const firstStore = sqliteStore(path);
    const first = createSystem({ store: firstStore, agents: [{ id: 'w', handler }] }).start();
    await first.submit({ id: 'a', type: 'x' });
    await first.submit({ id: 'b', type: 'x' });
    await firstStore.flush();
    const secondStore = sqliteStore(path);
    const second = createSystem({ store: secondStore, agents: [{ id: 'w', handler }] });
    const refused = (() => {
      try {
        second.start();
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(StoreInUse);
    expect((refused as StoreInUse).holder).toMatch(/:\d+:/);
    expect(second.phase).toBe('created');
    await settle();
    expect(ran).toEqual(['a']);
    gate.resolve();
    await first.stop();
    await firstStore.close();
    // Released by the stop: now the second may take the store over.
    const third = createSystem({ store: secondStore, agents: [{ id: 'w', handler }] }).start();
    await third.stop();
    await secondStore.close();
  });

  it('takes over at once from a holder whose process on this host has died', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const store = memoryStore();
    store.claimOwner({ holder: `${hostname()}:${dead}:x`, now: 0, until: 60_000 });
    const system = createSystem({ clock: new SimulatedClock(), store }).start();
    expect(system.phase).toBe('running');
    // A live process of this host, or one of another host, is never taken for dead.
    expect(holderIsDead(`${hostname()}:${process.ppid}:y`)).toBe(false);
    expect(holderIsDead(`elsewhere:${dead}:z`)).toBe(false);
  });

  it('takes over from a holder that died once its claim has expired', async () => {
    const store = memoryStore();
    expect(store.claimOwner({ holder: 'dead:1:x', now: 0, until: 1_000 })).toEqual({ ok: true });
    const clock = new SimulatedClock();
    clock.set(500);
    expect(() => createSystem({ clock, store }).start()).toThrow(StoreInUse);
    await advanceClock(clock, 600);
    const system = createSystem({ clock, store }).start();
    expect(system.phase).toBe('running');
    // A live holder renews its claim: a newcomer stays refused long after the first claim.
    await advanceClock(clock, 20_000);
    expect(() => createSystem({ clock, store }).start()).toThrow(StoreInUse);
    await system.stop();
  });

  it('fails a system whose claim another system took over while it stalled', async () => {
    const store = memoryStore();
    const clock = new SimulatedClock();
    const system = createSystem({ clock, store, leaseMs: 1_000 }).start();
    const lost: string[] = [];
    system.on('store.lost', (e) => lost.push(e.holder));
    // Another process took the store over, as it would once this one stalled past its claim.
    const probe = store.claimOwner({ holder: 'probe', now: 0, until: 0 });
    if (!probe.ok) store.releaseOwner(probe.holder);
    store.claimOwner({ holder: 'other:1:run', now: 0, until: 60_000 });
    await advanceClock(clock, 600);
    expect(lost).toEqual(['other:1:run']);
    expect(system.phase).toBe('failed');
    await system.stop();
  });
});
