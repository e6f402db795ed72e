// A database outage and remote agents: the first failure ends their channels (messages on
// them may be lost), so each agent restarts once; its new incarnation then waits to be
// placed until the database is back, instead of failing its start at every try and spending
// its supervisor's restart intensity on the outage.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startNode } from '../../src/cluster/agent-node.js';
import { createSystem } from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));

/** Refuses new connections to the database at `url` and ends the open ones; undo to end it. */
async function outage(url: string): Promise<() => Promise<void>> {
  const name = new URL(url).pathname.slice(1);
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
    name,
  ]);
  return async () => {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
  };
}

describe('remote agents through a database outage', () => {
  it('restart once, wait to be placed while it lasts, and run again after', async () => {
    const store = await dir.postgres({ schema: 'outage' });
    const url = await dir.postgresUrl();
    const node = await startNode({ db: url, schema: 'outage', agents, runs: 'thread', pollMs: 50 });
    const system = createSystem({
      store,
      heartbeatTimeoutMs: 5_000,
      // Without the wait, 10 ms between restarts would spend this within the outage.
      restartBackoff: { kind: 'fixed', delayMs: 10 },
      intensity: { maxRestarts: 5, periodMs: 60_000 },
      agents: [{ id: 'echo', runs: 'remote', capabilities: ['echo'] }],
    }).start();
    const failed: string[] = [];
    system.on('store.write.failed', (e) => failed.push(JSON.stringify(e)));
    const echo = async (input: number) =>
      (await system.submit({ type: 'echo', input, capabilities: ['echo'] })).result();
    expect(await echo(1)).toMatchObject({ echoed: 1 });

    const end = await outage(url);
    await vi.waitFor(
      () => {
        const [agent] = system.agents();
        expect(agent).toMatchObject({ state: 'starting', restarts: 1 });
      },
      { timeout: 10_000, interval: 20 },
    );
    // The outage lasts through many of the mailbox's polls and the placement's tries.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(system.agents()[0]).toMatchObject({ state: 'starting', restarts: 1 });
    await end();

    expect(await echo(2)).toMatchObject({ echoed: 2 });
    expect(system.agents()[0]).toMatchObject({ state: 'idle', restarts: 1 });
    // The store rode the outage out: every write of it was resent and landed.
    expect(failed).toEqual([]);
    await system.stop();
    await node.close();
  }, 30_000);
});
