// Agents on nodes: a system on a PostgreSQL store runs `runs: 'remote'` agents on whichever
// node offers them, through the database, with the same protocol as a thread or a process.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
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
    expect(node.offers).toEqual(['echo', 'slow']);
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
    expect(node.running()).toHaveLength(1);
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
