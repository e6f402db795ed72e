// Replicas spread over nodes: a node claims a placement only when no other live,
// non-draining node offering the agent hosts fewer, unless it waited past the backstop. The
// claim's decisions first, on rows written by hand (a backstop of an hour, so no clock is
// raced); then nodes started through the API, one polling much more slowly than the other,
// as the benchmark saw: without the rule the fast one took every replica.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentNode, startNode } from '../../src/cluster/agent-node.js';
import { CLUSTER_PROTOCOL } from '../../src/cluster/cluster-protocol.js';
import { claimPlacement } from '../../src/cluster/placement-claim.js';
import { createSystem } from '../../src/index.js';
import { migratePostgres, tableNamer } from '../../src/store/postgres/postgres-schema.js';
import { tempDir } from '../store/fixtures.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));
const HOUR = 3_600_000;

describe('claiming a placement', () => {
  const schema = 'claims';
  const q = tableNamer(schema);
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await dir.postgresUrl(), max: 2 });
    await migratePostgres(pool, schema, 'placement-spread test');
    return () => pool.end();
  });

  /** Empty tables, then a node row per entry: its offers, heartbeat age, draining. */
  async function nodes(
    rows: { id: string; offers?: string[]; staleMs?: number; draining?: boolean }[],
  ) {
    await pool.query(`DELETE FROM ${q('nodes')}; DELETE FROM ${q('placements')}`);
    for (const { id, offers = ['echo'], staleMs = 0, draining = false } of rows) {
      await pool.query(
        `INSERT INTO ${q('nodes')} (node_id, host, pid, agents, heartbeat_at, draining, protocol)
         VALUES ($1, 'test', 1, $2, now() - $3 * interval '1 millisecond', $4, $5)`,
        [id, JSON.stringify(offers), staleMs, draining, CLUSTER_PROTOCOL],
      );
    }
  }
  /** A placement of `agent`, claimed by `node` or waiting, created `ageMs` ago. */
  async function placement(channel: string, agent: string, node: string | null, ageMs = 0) {
    await pool.query(
      `INSERT INTO ${q('placements')} (channel, agent_id, supervisor, data, node_id, created_at,
         protocol)
       VALUES ($1, $2, 'supervisor:test', '{}', $3, now() - $4 * interval '1 millisecond', $5)`,
      [channel, agent, node, ageMs, CLUSTER_PROTOCOL],
    );
  }
  const claim = (node: string, backstopMs = HOUR) =>
    claimPlacement(pool, q, node, ['echo', 'slow'], backstopMs).then((row) => row?.channel);

  it('goes to a node alone, and to a node hosting no more than its peers', async () => {
    await nodes([{ id: 'a' }]);
    await placement('echo/1', 'echo', 'a');
    await placement('echo/2', 'echo', null);
    expect(await claim('a')).toBe('echo/2');

    await nodes([{ id: 'a' }, { id: 'b' }]);
    await placement('echo/1', 'echo', 'a');
    await placement('slow/1', 'slow', 'b');
    await placement('echo/2', 'echo', null);
    expect(await claim('a')).toBe('echo/2');
  });

  it('is left to a live peer offering the agent that hosts fewer, whichever agents', async () => {
    await nodes([{ id: 'a' }, { id: 'b', offers: ['echo', 'slow'] }]);
    await placement('slow/1', 'slow', 'a');
    await placement('echo/1', 'echo', null);
    expect(await claim('a')).toBeUndefined();
    expect(await claim('b')).toBe('echo/1');
  });

  it('ignores peers that are stale, draining, or do not offer the agent', async () => {
    await nodes([
      { id: 'a' },
      { id: 'dead', staleMs: HOUR },
      { id: 'leaving', draining: true },
      { id: 'other', offers: ['slow'] },
    ]);
    await placement('echo/1', 'echo', 'a');
    await placement('echo/2', 'echo', null);
    expect(await claim('a')).toBe('echo/2');
  });

  it('goes to any node offering it once it waited past the backstop', async () => {
    await nodes([{ id: 'a' }, { id: 'b' }]);
    await placement('echo/1', 'echo', 'a');
    await placement('echo/2', 'echo', null, 2_000);
    expect(await claim('a', HOUR)).toBeUndefined();
    expect(await claim('a', 1_000)).toBe('echo/2');
  });
});

describe('replicas on nodes', () => {
  // Each test's systems stop first, then its nodes close.
  const systems: { stop(): Promise<void> }[] = [];
  const nodes: AgentNode[] = [];
  afterEach(async () => {
    for (const system of systems.splice(0)) await system.stop();
    for (const node of nodes.splice(0)) await node.close();
  });

  /** A system running `replicas` of the remote agent echo on the nodes of `schema`. */
  async function system(schema: string, replicas: number) {
    const store = await dir.postgres({ schema });
    const started = createSystem({
      store,
      heartbeatTimeoutMs: 10_000,
      agents: [{ id: 'echo', runs: 'remote', capabilities: ['echo'], replicas }],
    }).start();
    systems.push(started);
    return started;
  }
  async function node(schema: string, pollMs: number): Promise<AgentNode> {
    const url = await dir.postgresUrl();
    const started = await startNode({ db: url, schema, agents, runs: 'thread', pollMs });
    nodes.push(started);
    return started;
  }
  /** Claimed placements by node, from the database. */
  async function placed(schema: string): Promise<Record<string, number>> {
    const db = new pg.Client({ connectionString: await dir.postgresUrl() });
    await db.connect();
    try {
      const { rows } = await db.query<{ node_id: string; n: number }>(
        `SELECT node_id, count(*)::int AS n FROM ${tableNamer(schema)('placements')}
         WHERE node_id IS NOT NULL GROUP BY node_id`,
      );
      return Object.fromEntries(rows.map((r) => [r.node_id, r.n]));
    } finally {
      await db.end();
    }
  }

  it('spread evenly over two nodes, even when one polls much faster', async () => {
    const schema = 'spread';
    const fast = await node(schema, 50);
    const slow = await node(schema, 300);
    await system(schema, 4);
    await until(() => fast.running().length + slow.running().length === 4);
    expect([fast.running().length, slow.running().length]).toEqual([2, 2]);
    expect(await placed(schema)).toEqual({ [fast.nodeId]: 2, [slow.nodeId]: 2 });
  });

  it('are claimed when the node hears of them, not at its next poll', async () => {
    // A node polling once a minute: only the placements' wake-up can bring it the replica in
    // the test's time. (Before, a node tried a claim after each read of its messages, and
    // on its poll: a claim statement per read, and a new placement waited for either.)
    const schema = 'woken';
    const only = await node(schema, 60_000);
    const started = await system(schema, 1);
    await until(() => only.running().length === 1);
    expect(await placed(schema)).toEqual({ [only.nodeId]: 1 });
    const handle = await started.submit({ type: 'echo', input: 'hi', capabilities: ['echo'] });
    expect(await handle.result()).toMatchObject({ echoed: 'hi' });
  });

  it('all go to a node alone', async () => {
    const schema = 'alone';
    const only = await node(schema, 50);
    await system(schema, 4);
    await until(() => only.running().length === 4);
    expect(await placed(schema)).toEqual({ [only.nodeId]: 4 });
  });
});
