// Processes of one cluster protocol only work with each other: a node claims only placements
// of its own protocol and does not defer to peers of another; it says once which placements
// it leaves waiting and why; a supervisor says once when the only live node offering its
// agent speaks another protocol. Rows of "another overseer" are written by hand: protocol 1,
// or none (NULL, as a process from before protocols writes them).
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentNode, startNode } from '../../src/cluster/agent-node.js';
import { CLUSTER_PROTOCOL } from '../../src/cluster/cluster-protocol.js';
import { claimPlacement } from '../../src/cluster/placement-claim.js';
import { createSystem, type Logger, silentLogger } from '../../src/index.js';
import { migratePostgres, tableNamer } from '../../src/store/postgres/postgres-schema.js';
import { tempDir } from '../store/fixtures.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));
const HOUR = 3_600_000;

/** A logger keeping its warnings' messages. */
function warnings(): { said: string[]; logger: Logger } {
  const said: string[] = [];
  return {
    said,
    logger: { ...silentLogger, warn: (_fields, message) => said.push(String(message)) },
  };
}

describe('cluster protocols', () => {
  const schema = 'protocols';
  const q = tableNamer(schema);
  let pool: pg.Pool;
  const started: AgentNode[] = [];
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await dir.postgresUrl(), max: 2 });
    await migratePostgres(pool, schema, 'cluster-protocol test');
    return () => pool.end();
  });
  afterEach(async () => {
    for (const node of started.splice(0)) await node.close();
    await pool.query(`DELETE FROM ${q('nodes')}; DELETE FROM ${q('placements')}`);
  });

  async function nodeRow(id: string, protocol: number | null, hosting = 0) {
    await pool.query(
      `INSERT INTO ${q('nodes')} (node_id, host, pid, agents, protocol, heartbeat_at)
       VALUES ($1, 'test', 1, '["echo"]', $2, now() + interval '1 hour')`,
      [id, protocol],
    );
    for (let i = 0; i < hosting; i++) await placement(`held/${id}/${i}`, protocol, id);
  }
  async function placement(channel: string, protocol: number | null, node: string | null = null) {
    await pool.query(
      `INSERT INTO ${q('placements')} (channel, agent_id, supervisor, data, node_id, protocol,
         created_at)
       VALUES ($1, 'echo', 'supervisor:other', '{}', $2, $3, now() - interval '2 seconds')`,
      [channel, node, protocol],
    );
  }
  const claim = (node: string) =>
    claimPlacement(pool, q, node, ['echo'], HOUR).then((row) => row?.channel);

  it('a node claims only placements of its own protocol', async () => {
    await nodeRow('a', CLUSTER_PROTOCOL);
    await placement('echo/old', 1);
    await placement('echo/older', null);
    expect(await claim('a')).toBeUndefined();
    await placement('echo/mine', CLUSTER_PROTOCOL);
    expect(await claim('a')).toBe('echo/mine');
  });

  it('a node does not leave a placement to a peer of another protocol hosting fewer', async () => {
    await nodeRow('a', CLUSTER_PROTOCOL, 2);
    await nodeRow('old', 1);
    await nodeRow('older', null);
    await placement('echo/mine', CLUSTER_PROTOCOL);
    expect(await claim('a')).toBe('echo/mine');
  });

  it('a node says once which placements it leaves waiting, and why', async () => {
    await placement('echo/old', 1);
    const { said, logger } = warnings();
    const node = await startNode({
      db: await dir.postgresUrl(),
      schema,
      agents,
      runs: 'inline',
      pollMs: 20,
      logger,
    });
    started.push(node);
    await until(() => said.length > 0);
    expect(said).toEqual([
      `node ${node.nodeId} speaks cluster protocol ${CLUSTER_PROTOCOL} and leaves agent echo of ` +
        'supervisor supervisor:other waiting: it was placed in cluster protocol 1. Run one ' +
        'overseer version across the cluster, or finish the upgrade (docs/distributed.md, "Upgrading").',
    ]);
    expect(node.running()).toEqual([]);
    const { rows } = await pool.query(
      `SELECT node_id FROM ${q('placements')} WHERE channel = 'echo/old'`,
    );
    expect(rows).toEqual([{ node_id: null }]);
  });

  it('a supervisor says when the only node offering its agent speaks another protocol', async () => {
    const store = await dir.postgres({ schema });
    await nodeRow('node:old', 1);
    const { said, logger } = warnings();
    const system = createSystem({
      store,
      logger,
      agents: [{ id: 'echo', runs: 'remote', capabilities: ['echo'] }],
    }).start();
    try {
      await until(() => said.some((line) => line.startsWith('remote agent echo waits')));
      expect(said.filter((line) => line.startsWith('remote agent echo waits'))).toEqual([
        'remote agent echo waits for a node: node node:old offers it but speaks cluster ' +
          `protocol 1, this supervisor cluster protocol ${CLUSTER_PROTOCOL}. Run one overseer ` +
          'version across the cluster, or finish the upgrade (docs/distributed.md, "Upgrading").',
      ]);
      expect(system.agents().map((a) => a.state)).toEqual(['starting']);
    } finally {
      await system.stop({ timeoutMs: 0 });
    }
  });
});
