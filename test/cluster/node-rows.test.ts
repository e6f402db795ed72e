// The `nodes` table stays the cluster's live nodes and its recent dead: a node that died
// (SIGKILL, a lost machine) leaves its row, and a live node forgets it an hour after its last
// heartbeat; a node forgotten while only paused writes its row again on its next heartbeat.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentNode, startNode } from '../../src/cluster/agent-node.js';
import { DEAD_NODE_RETAIN_MS, NodeRow } from '../../src/cluster/node-row.js';
import { type Logger, silentLogger } from '../../src/index.js';
import { migratePostgres, tableNamer } from '../../src/store/postgres/postgres-schema.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));

describe("the nodes' rows", () => {
  const schema = 'node_rows';
  const q = tableNamer(schema);
  let pool: pg.Pool;
  const started: AgentNode[] = [];
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await dir.postgresUrl(), max: 3 });
    await migratePostgres(pool, schema, 'node rows test');
    return () => pool.end();
  });
  afterEach(async () => {
    for (const node of started.splice(0)) await node.close();
    await pool.query(`DELETE FROM ${q('nodes')}`);
  });

  /** A dead node's row, its last heartbeat `ageMs` ago. */
  const deadNode = (id: string, ageMs: number) =>
    pool.query(
      `INSERT INTO ${q('nodes')} (node_id, host, pid, agents, protocol, heartbeat_at)
       VALUES ($1, 'gone', 1, '["echo"]', 2, now() - $2 * interval '1 millisecond')`,
      [id, ageMs],
    );
  const nodeIds = async () =>
    (
      await pool.query<{ node_id: string }>(`SELECT node_id FROM ${q('nodes')} ORDER BY 1`)
    ).rows.map((r) => r.node_id);

  it('a live node forgets the rows of nodes dead for more than an hour, and says so', async () => {
    await deadNode('dead-long-ago', DEAD_NODE_RETAIN_MS + 60_000);
    await deadNode('dead-recently', 60_000);
    const said: string[] = [];
    const logger: Logger = { ...silentLogger, info: (_f, message) => said.push(String(message)) };
    const node = await startNode({ db: pool, agents, schema, runs: 'inline', logger });
    started.push(node);
    expect(await nodeIds()).toEqual(['dead-recently', node.nodeId]);
    expect(said).toEqual([
      expect.stringMatching(
        new RegExp(`^node ${node.nodeId} forgot node dead-long-ago: no heartbeat since \\d{4}-`),
      ),
    ]);
  });

  it('a node forgotten while it was away writes its row again on its next heartbeat', async () => {
    const row = new NodeRow(pool, q, 'node:paused', ['echo'], silentLogger);
    const read = async () =>
      (await pool.query(`SELECT node_id, agents, protocol, draining FROM ${q('nodes')}`)).rows;
    await row.beat();
    await row.beat(true);
    expect(await read()).toEqual([
      { node_id: 'node:paused', agents: '["echo"]', protocol: 2, draining: true },
    ]);
    await pool.query(`DELETE FROM ${q('nodes')} WHERE node_id = 'node:paused'`);
    await row.beat();
    expect(await read()).toEqual([
      { node_id: 'node:paused', agents: '["echo"]', protocol: 2, draining: false },
    ]);
  });

  it('a node leaving waits for its heartbeat on the way, so no row comes back', async () => {
    const row = new NodeRow(pool, q, 'node:leaving', ['echo'], silentLogger);
    // Both start before either has an answer, on connections of their own.
    const beating = row.beat();
    const leaving = row.leave();
    await Promise.all([beating, leaving]);
    await row.beat(); // a tick after it left writes nothing
    expect(await nodeIds()).toEqual([]);
  });
});
