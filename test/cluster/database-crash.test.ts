// A crash restart of PostgreSQL (immediate shutdown) empties the UNLOGGED mailbox and breaks
// every connection. A remote agent's channel outlives it: what was lost is sent again, and
// the attempt running across the crash reports on its first run.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startNode } from '../../src/cluster/agent-node.js';
import { createSystem, postgresStore } from '../../src/index.js';
import { startEmbeddedPostgres } from '../support/postgres-embedded.js';

const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));

describe('remote agents through a crash restart of the database', () => {
  it('keep running: the attempt across it runs once, and no agent restarts', async () => {
    const server = await startEmbeddedPostgres();
    onTestFinished(() => server.stop());
    const store = await postgresStore(server.url);
    const node = await startNode({ db: server.url, agents, runs: 'thread', pollMs: 50 });
    const system = createSystem({
      store,
      // Above the restart's length: nothing is taken for dead meanwhile.
      heartbeatTimeoutMs: 15_000,
      agents: [{ id: 'slow', runs: 'remote', capabilities: ['slow'] }],
    }).start();
    onTestFinished(async () => {
      await system.stop({ timeoutMs: 1_000 });
      await node.close();
    });
    const seen: string[] = [];
    system.on('*', (event) => seen.push(event.type));
    const started = new Promise((resolve) => system.on('task.started', resolve));
    const task = await system.submit({
      type: 'slow',
      input: { ms: 1_500 },
      capabilities: ['slow'],
    });
    await started;
    // A row that proves the crash emptied the mailbox (an inbox nobody reads, so not swept).
    const db = new pg.Client({ connectionString: server.url });
    await db.connect();
    await db.query(
      `INSERT INTO overseer.mailbox (recipient, channel, body) VALUES ('supervisor:marker', '#', '[]')`,
    );
    await db.end();

    await server.restartImmediate();

    expect(await task.result()).toMatchObject({ slept: 1_500 });
    expect(system.task(task.id).attempts).toBe(1);
    expect(system.agents()[0]).toMatchObject({ restarts: 0 });
    expect(seen).not.toContain('agent.restarted');
    const after = new pg.Client({ connectionString: server.url });
    await after.connect();
    const { rows } = await after.query(
      `SELECT 1 FROM overseer.mailbox WHERE recipient = 'supervisor:marker'`,
    );
    await after.end();
    expect(rows).toEqual([]);
  }, 60_000);
});
