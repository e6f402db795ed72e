// A database outage and remote agents. Their channels' messages are numbered and sent again
// until acknowledged, so an outage shorter than the agents' heartbeat timeout restarts
// nothing, and what ran across it reports once it is back. A longer one restarts each agent
// once (its heartbeats stopped); its new incarnation then waits to be placed until the
// database is back, instead of failing its start at every try and spending its supervisor's
// restart intensity on the outage.
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
  it('outlive one shorter than their heartbeat timeout: the attempt across it runs once', async () => {
    const store = await dir.postgres({ schema: 'short_outage' });
    const url = await dir.postgresUrl();
    const node = await startNode({
      db: url,
      schema: 'short_outage',
      agents,
      runs: 'thread',
      pollMs: 50,
    });
    const system = createSystem({
      store,
      heartbeatTimeoutMs: 5_000,
      agents: [{ id: 'slow', runs: 'remote', capabilities: ['slow'] }],
    }).start();
    const seen: string[] = [];
    system.on('*', (event) => seen.push(event.type));
    const started = new Promise((resolve) => system.on('task.started', resolve));
    const task = await system.submit({ type: 'slow', input: { ms: 300 }, capabilities: ['slow'] });
    await started;

    const end = await outage(url);
    // It ends while the database is away: its result waits, and is sent until it lands.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(system.task(task.id).state).toBe('running');
    expect(node.running()).toHaveLength(1);
    await end();

    expect(await task.result()).toMatchObject({ slept: 300 });
    expect(system.task(task.id).attempts).toBe(1);
    expect(system.agents()[0]).toMatchObject({ state: 'idle', restarts: 0 });
    expect(seen).not.toContain('agent.restarted');
    await system.stop();
    await node.close();
  }, 30_000);

  it("keep one progress per task, not each, while one lasts: a chatty agent's attempt runs once", async () => {
    const store = await dir.postgres({ schema: 'chatty_outage' });
    const url = await dir.postgresUrl();
    const node = await startNode({
      db: url,
      schema: 'chatty_outage',
      agents,
      runs: 'thread',
      pollMs: 50,
    });
    const system = createSystem({
      store,
      heartbeatTimeoutMs: 10_000,
      agents: [{ id: 'chatty', runs: 'remote', capabilities: ['chatty'] }],
    }).start();
    const heard: string[] = [];
    system.on('task.progress', (e) => heard.push(e.note ?? ''));
    system.on('task.completed', () => heard.push('completed'));
    const started = new Promise((resolve) => system.on('task.started', resolve));
    // More reports than a channel may hold waiting (50,000) before its node stops the agent.
    const reports = 60_000;
    const task = await system.submit({
      type: 'chatty',
      input: { reports, waitMs: 300 },
      capabilities: ['chatty'],
    });
    await started;

    const end = await outage(url);
    // It reports and returns while the database is away: a few messages wait, not 60,000.
    await vi.waitFor(() => expect(node.stats().attemptsInFlight).toBe(0), {
      timeout: 10_000,
      interval: 20,
    });
    expect(node.stats().messagesWaiting).toBeLessThan(10);
    await end();

    expect(await task.result()).toEqual({ reported: reports });
    expect(system.task(task.id).attempts).toBe(1);
    // The newest progress arrives last, before the result.
    expect(heard.slice(-2)).toEqual([`step ${reports}`, 'completed']);
    await system.stop();
    await node.close();
  }, 30_000);

  it('restart a busy one once in a longer one, wait to be placed while it lasts, and run again after', async () => {
    const store = await dir.postgres({ schema: 'outage' });
    const url = await dir.postgresUrl();
    const node = await startNode({ db: url, schema: 'outage', agents, runs: 'thread', pollMs: 50 });
    const system = createSystem({
      store,
      heartbeatTimeoutMs: 2_000,
      heartbeatIntervalMs: 250,
      retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 10 } },
      // Without the wait, 10 ms between restarts would spend this within the outage.
      restartBackoff: { kind: 'fixed', delayMs: 10 },
      intensity: { maxRestarts: 5, periodMs: 60_000 },
      agents: [{ id: 'slow', runs: 'remote', capabilities: ['slow'] }],
    }).start();
    const failed: string[] = [];
    system.on('store.write.failed', (e) => failed.push(JSON.stringify(e)));
    const started = new Promise((resolve) => system.on('task.started', resolve));
    const task = await system.submit({
      type: 'slow',
      input: { ms: 2_500 },
      capabilities: ['slow'],
    });
    await started;

    const end = await outage(url);
    // Its heartbeats stop reaching the supervisor while it runs: it restarts, once.
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
    // Its node stopped the old incarnation's run itself, out of touch, before the database
    // came back: it cannot run beside the attempt's next run.
    expect(node.running()).toEqual([]);
    await end();

    // Its attempt runs again on the new incarnation, once placed.
    expect(await task.result()).toMatchObject({ slept: 2_500 });
    expect(system.task(task.id).attempts).toBe(2);
    expect(system.agents()[0]).toMatchObject({ state: 'idle', restarts: 1 });
    // The store rode the outage out: every write of it was resent and landed.
    expect(failed).toEqual([]);
    await system.stop();
    await node.close();
  }, 30_000);
});
