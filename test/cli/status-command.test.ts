// `overseer status --db <url>`: a PostgreSQL store's owner, tasks by state, agents and team
// runs, and of a cluster its leader, nodes, agents waiting for a node and messages in
// flight, read from the database without starting a system; exit 2 when it cannot be read.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { statusCommand } from '../../src/cli/status-command.js';
import { startNode } from '../../src/cluster/agent-node.js';
import { CLUSTER_PROTOCOL } from '../../src/cluster/cluster-protocol.js';
import { lead } from '../../src/cluster/leadership.js';
import { createSystem } from '../../src/index.js';
import { POSTGRES_SCHEMA_VERSION } from '../../src/store/postgres/postgres-schema.js';
import { tempDir } from '../store/fixtures.js';
import { advanceClock } from '../support/system-harness.js';

const nodeAgents = fileURLToPath(new URL('../cluster/fixtures/node-agents.ts', import.meta.url));
const dir = tempDir();
afterAll(() => dir.remove());

describe('overseer status', () => {
  it('shows the owner, tasks by state, agents, team runs, leader, nodes and what is in flight', async () => {
    const store = await dir.postgres({ schema: 'status' });
    const clock = new SimulatedClock();
    const system = createSystem({
      clock,
      store,
      agents: [{ id: 'w', capabilities: ['x'], handler: (n: number) => n }],
    }).start();
    await system.submit({ type: 'x', input: 1 });
    await system.submit({ type: 'x', input: 2, capabilities: ['x'] });
    await advanceClock(clock, 10);
    await store.flush();
    const url = await dir.postgresUrl();
    const leadership = await lead({ db: url, schema: 'status', leaseMs: 60_000 });
    const node = await startNode({ db: url, schema: 'status', agents: nodeAgents, runs: 'inline' });
    // An agent no node offers waits to be placed; a message waits to be read.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(
      `INSERT INTO status.placements (channel, agent_id, supervisor, data, protocol)
       VALUES ('nobody/1', 'nobody', 'supervisor:s', '{}', $1)`,
      [CLUSTER_PROTOCOL],
    );
    await db.query(`INSERT INTO status.mailbox (recipient, channel, body)
      VALUES ('supervisor:s', '#', '[]')`);
    await db.query(`INSERT INTO status.cancellations (task_id, reason) VALUES ('t9', 'r')`);
    const lines: string[] = [];
    expect(
      await statusCommand({ db: url, schema: 'status', json: false }, (l) => lines.push(l)),
    ).toBe(0);
    expect(lines).toEqual([
      `store schema status, version ${POSTGRES_SCHEMA_VERSION}`,
      expect.stringMatching(/^owner: .+:\d+:.+ \(claim until \d+\)$/),
      'tasks: completed 2',
      expect.stringMatching(/^agents: /),
      'unfinished team runs: 0',
      expect.stringMatching(/^leader: .+, epoch 1 \(lease until \d{4}-\d\d-\d\dT.+Z\)$/),
      `nodes: ${node.nodeId} (live, cluster protocol ${CLUSTER_PROTOCOL}, hosting nothing)`,
      `agents waiting for a node: 1 (1 in cluster protocol ${CLUSTER_PROTOCOL})`,
      'messages in flight: 1',
      'cancellations waiting: 1',
    ]);
    // A live node of an earlier overseer (no protocol) beside it: the mix is named.
    await db.query(`INSERT INTO status.nodes (node_id, host, pid, agents)
      VALUES ('node:old', 'box', 1, '["nobody"]')`);
    const mixed: string[] = [];
    await statusCommand({ db: url, schema: 'status', json: false }, (l) => mixed.push(l));
    expect(mixed).toContain(
      'nodes: node:old (live, no cluster protocol (an overseer from before they were numbered), ' +
        `hosting nothing); ${node.nodeId} (live, cluster protocol ${CLUSTER_PROTOCOL}, hosting nothing)`,
    );
    expect(mixed.at(-1)).toMatch(
      /^warning: the cluster mixes protocols; a node claims only placements of its own/,
    );
    await db.query(`DELETE FROM status.nodes WHERE node_id = 'node:old'`);
    // A node that died 10 minutes ago: silent, and for how long (it is forgotten at an hour).
    await db.query(`INSERT INTO status.nodes (node_id, host, pid, agents, protocol, heartbeat_at)
      VALUES ('node:dead', 'box', 1, '["nobody"]', ${CLUSTER_PROTOCOL}, now() - interval '10 minutes')`);
    const silent: string[] = [];
    await statusCommand({ db: url, schema: 'status', json: false }, (l) => silent.push(l));
    expect(silent.find((line) => line.startsWith('nodes: '))).toContain(
      `node:dead (silent for 10 min, cluster protocol ${CLUSTER_PROTOCOL}, hosting nothing)`,
    );
    await db.query(`DELETE FROM status.nodes WHERE node_id = 'node:dead'`);
    await db.end();
    // From the command line, as JSON; a store that is not there is exit 2, named.
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'status', ...args], {
        encoding: 'utf8',
      });
    const json = run('--db', url, '--schema', 'status', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      tasks: { completed: 2 },
      teamRuns: 0,
      leader: { holder: leadership.holder, epoch: 1, live: true },
      nodes: [
        {
          nodeId: node.nodeId,
          live: true,
          draining: false,
          silentMs: expect.any(Number),
          protocol: CLUSTER_PROTOCOL,
          hosting: [],
        },
      ],
      waitingForNode: 1,
      waitingByProtocol: [{ protocol: CLUSTER_PROTOCOL, n: 1 }],
      messagesInFlight: 1,
      cancellationsWaiting: 1,
    });
    const missing = run('--db', url, '--schema', 'nothing_here');
    expect(missing.status).toBe(2);
    expect(missing.stdout).toMatch(/schema nothing_here holds no overseer store/);
    await system.stop({ timeoutMs: 0 });
    await node.close();
    await leadership.release();
  });
});
