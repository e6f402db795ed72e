// What wakes a node: messages for its own agents, not every node's. All nodes listen on one
// shared name, which is all a supervisor knows until a node's channel says the name that node
// listens on alone (channel-ledger.ts); from then on the supervisor's messages on that
// channel wake that node only, so with many nodes each does not read its inbox for every
// message the supervisor sends to any of them.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startNode } from '../../src/cluster/agent-node.js';
import { NODES_WAKE } from '../../src/cluster/supervisor-link.js';
import { createSystem } from '../../src/index.js';
import { wakeChannel } from '../../src/store/postgres/notify-names.js';
import { tempDir } from '../store/fixtures.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));

describe('waking nodes', () => {
  it("wakes a node for its own agents' messages, and no other node", async () => {
    const schema = 'wakes';
    const url = await dir.postgresUrl();
    const store = await dir.postgres({ schema });
    const hosting = await startNode({ db: url, schema, agents, runs: 'thread', pollMs: 50 });
    const system = createSystem({
      store,
      agents: [{ id: 'echo', runs: 'remote', capabilities: ['echo'] }],
    }).start();
    await until(() => system.agents().some((a) => a.id === 'echo' && a.state !== 'starting'));
    // A second node, started once the one replica is placed: it hosts nothing, so no
    // message is for it.
    const idle = await startNode({ db: url, schema, agents, runs: 'thread', pollMs: 50 });
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    try {
      // Every node still listens on the shared name (supervisors of the release before this
      // one wake it), so what is sent there is what wakes every node.
      let sharedWakes = 0;
      listener.on('notification', () => sharedWakes++);
      await listener.query(`LISTEN ${wakeChannel(schema, NODES_WAKE)}`);
      const runsBefore = hosting.stats().inboxReads;
      for (let i = 0; i < 20; i++) {
        const handle = await system.submit({ type: 'echo', input: i, capabilities: ['echo'] });
        expect(await handle.result()).toMatchObject({ echoed: i });
      }
      // One more round trip on the listener's connection: any notification sent before it
      // has been delivered by then.
      await listener.query('SELECT 1');
      expect(sharedWakes).toBe(0);
      // The hosting node read its inbox for its runs (woken on its own name).
      expect(hosting.stats().inboxReads - runsBefore).toBeGreaterThanOrEqual(20);
      expect(idle.stats().incarnations).toBe(0);
    } finally {
      await listener.end();
      await system.stop();
      await hosting.close();
      await idle.close();
    }
  });
});
