// `overseer supervise` when its supervision tree gives up: OTP escalates past the root to
// the process manager, so the command gives the leader lease up (a standby takes over at
// once, not a lease later) and exits 4.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { superviseCommand } from '../../src/cli/supervise-command.js';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());
const module = fileURLToPath(new URL('./fixtures/crashing-cluster.ts', import.meta.url));

describe('overseer supervise', () => {
  it('exits 4 and gives the lease up when its root supervisor exceeds its intensity', async () => {
    const url = await dir.postgresUrl();
    const schema = 'doomed';
    const lines: string[] = [];
    const exit = superviseCommand({ db: url, agents: module, schema, leaseMs: 60_000 }, (line) =>
      lines.push(line),
    );
    const client = await connectCluster(url, { schema, pollMs: 50 });
    for (let i = 0; i < 3; i++) await client.submit({ type: 'work', capabilities: ['doomed'] });
    expect(await exit).toBe(4);
    // It said when it held the lease, then when it had rebuilt from the store and took work.
    const said = lines.map((line) => line.replace(/\d+/g, 'N'));
    expect(said.slice(0, 3)).toEqual([
      'standing by for the leader lease',
      expect.stringMatching(/^leading as .+, epoch N$/),
      'serving: rebuilt from the store in N ms',
    ]);
    expect(lines).toContain(
      'stepping down: the root supervisor exceeded its restart intensity (last: doomed)',
    );
    // The lease was given up, though a minute of it was left: a standby may lead now.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(`SELECT until < now() AS free FROM "${schema}".leader`);
    await db.end();
    expect(rows).toEqual([{ free: true }]);
    await client.close();
  });
});
