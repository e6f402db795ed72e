// Agents on nodes: a system on a PostgreSQL store runs `runs: 'remote'` agents on whichever
// node offers them, through the database, with the same protocol as a thread or a process.
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startNode } from '../../src/cluster/agent-node.js';
import { createSystem, InvalidSystemOptions, memoryStore } from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));

describe('remote agents', () => {
  it('run on a node of the cluster, through the database', async () => {
    const store = await dir.postgres({ schema: 'remote' });
    const url = await dir.postgresUrl();
    const node = await startNode({ db: url, schema: 'remote', agents, runs: 'thread', pollMs: 50 });
    expect([...node.offers].sort()).toEqual(['bigint', 'chatty', 'echo', 'slow', 'where']);
    const system = createSystem({
      store,
      heartbeatTimeoutMs: 3_000,
      agents: [{ id: 'echo', runs: 'remote', capabilities: ['echo'], concurrency: 4 }],
    }).start();
    const handles = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => system.submit({ type: 'echo', input: n, capabilities: ['echo'] })),
    );
    const results = (await Promise.all(handles.map((h) => h.result()))) as { echoed: number }[];
    expect(results.map((r) => r.echoed)).toEqual([1, 2, 3, 4, 5]);
    // Text the database's JSON refuses raw (a lone surrogate's and NUL's escapes) travels intact.
    const odd = { text: 'half \ud800 nul \u0000 "quoted" \\ tab\t', list: ['\udfff'] };
    const echoed = await system.submit({ type: 'echo', input: odd, capabilities: ['echo'] });
    expect(((await echoed.result()) as { echoed: unknown }).echoed).toEqual(odd);
    expect(node.running()).toHaveLength(1);
    await system.stop();
    await node.close();
  });

  it('run in the node process itself when it hosts them inline', async () => {
    const store = await dir.postgres({ schema: 'inline' });
    const url = await dir.postgresUrl();
    const node = await startNode({ db: url, schema: 'inline', agents, runs: 'inline', pollMs: 50 });
    const system = createSystem({
      store,
      agents: [
        { id: 'where', runs: 'remote', capabilities: ['where'] },
        { id: 'slow', runs: 'remote', capabilities: ['slow'], concurrency: 2 },
        { id: 'bigint', runs: 'remote', capabilities: ['bigint'] },
      ],
    }).start();
    const here = await system.submit({ type: 'where', capabilities: ['where'] });
    expect(await here.result()).toEqual({ pid: process.pid, threadId });
    const slow = await system.submit({ type: 'slow', input: { ms: 5 }, capabilities: ['slow'] });
    expect(await slow.result()).toMatchObject({ slept: 5 });
    // An output that cannot cross the database fails its attempt, naming why; the node lives.
    const big = await system.submit({
      type: 'bigint',
      capabilities: ['bigint'],
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 10 } },
    });
    await expect(big.result()).rejects.toThrow(/the output has no JSON form/);
    expect(
      await (await system.submit({ type: 'where', capabilities: ['where'] })).result(),
    ).toEqual({
      pid: process.pid,
      threadId,
    });
    await system.stop();
    await node.close();
  });

  it('restart on a live node when theirs died before they were ready', async () => {
    const store = await dir.postgres({ schema: 'stale' });
    const url = await dir.postgresUrl();
    const seen: string[] = [];
    const system = createSystem({
      store,
      agents: [{ id: 'echo', runs: 'remote', capabilities: ['echo'] }],
    }).start();
    system.on('*', (event) => seen.push(JSON.stringify(event)));
    const task = await system.submit({ type: 'echo', input: 7, capabilities: ['echo'] });
    // A node claims the placement and dies before starting the agent: its heartbeat is old.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    while ((await db.query('SELECT 1 FROM stale.placements')).rowCount === 0)
      await new Promise((resolve) => setImmediate(resolve));
    await db.query(`INSERT INTO stale.nodes (node_id, host, pid, agents, heartbeat_at)
      VALUES ('node:dead', 'gone', 1, '[]', now() - interval '1 hour')`);
    await db.query(`UPDATE stale.placements SET node_id = 'node:dead', claimed_at = now()`);
    await db.end();
    const node = await startNode({ db: url, schema: 'stale', agents, runs: 'thread', pollMs: 50 });
    expect(await task.result()).toMatchObject({ echoed: 7 });
    expect(seen.some((e) => e.includes('its node node:dead stopped heartbeating'))).toBe(true);
    await system.stop();
    await node.close();
  });

  it('outlive their connections to the database breaking: the attempt in flight runs once', async () => {
    // A message on a connection that broke may be lost: it is sent again until acknowledged,
    // and delivered once (channel-ledger.ts), so neither the agent nor its attempt restarts.
    const store = await dir.postgres({ schema: 'broken' });
    const url = await dir.postgresUrl();
    const node = await startNode({ db: url, schema: 'broken', agents, runs: 'thread', pollMs: 50 });
    const seen: string[] = [];
    const system = createSystem({
      store,
      heartbeatTimeoutMs: 5_000,
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
      restartBackoff: { kind: 'fixed', delayMs: 10 },
      agents: [{ id: 'slow', runs: 'remote', capabilities: ['slow'] }],
    }).start();
    system.on('*', (event) => seen.push(event.type));
    const started = new Promise((resolve) => system.on('task.started', resolve));
    const task = await system.submit({ type: 'slow', input: { ms: 400 }, capabilities: ['slow'] });
    await started;
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    await db.end();
    expect(await task.result()).toMatchObject({ slept: 400 });
    expect(system.task(task.id).attempts).toBe(1);
    expect(system.agents()[0]).toMatchObject({ restarts: 0 });
    expect(seen).not.toContain('agent.failed');
    expect(seen).not.toContain('agent.restarted');
    await system.stop();
    await node.close();
  });

  it('leave no message behind that nobody reads: an earlier leader’s inbox, a gone channel’s', async () => {
    const store = await dir.postgres({ schema: 'swept' });
    const url = await dir.postgresUrl();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const leftover = `SELECT recipient FROM swept.mailbox WHERE recipient IN ('supervisor:old:1:x', 'echo/gone')`;
    await db.query(`INSERT INTO swept.mailbox (recipient, channel, body) VALUES
      ('supervisor:old:1:x', '#', '[]'), ('echo/gone', '#', '[]')`);
    const node = await startNode({ db: url, schema: 'swept', agents, runs: 'thread', pollMs: 50 });
    const system = createSystem({
      store,
      heartbeatTimeoutMs: 3_000,
      agents: [{ id: 'echo', runs: 'remote', capabilities: ['echo'] }],
    }).start();
    const task = await system.submit({ type: 'echo', input: 1, capabilities: ['echo'] });
    expect(await task.result()).toMatchObject({ echoed: 1 });
    // The inbox goes when the supervisor opens the cluster, the channel's at its next watch.
    await vi.waitFor(async () => expect((await db.query(leftover)).rows).toEqual([]), {
      timeout: 5_000,
      interval: 100,
    });
    await db.end();
    await system.stop();
    await node.close();
  });

  it('need a PostgreSQL store, named', () => {
    expect(() =>
      createSystem({ store: memoryStore(), agents: [{ id: 'echo', runs: 'remote' }] }),
    ).toThrow(InvalidSystemOptions);
    expect(() => createSystem({ agents: [{ id: 'echo', runs: 'remote' }] })).toThrow(
      /must be a PostgreSQL store .* for agent echo with runs: 'remote'/,
    );
  });
});
