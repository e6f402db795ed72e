// `overseer supervise` when its supervision tree gives up: OTP escalates past the root to
// the process manager, so the command gives the leader lease up (a standby takes over at
// once, not a lease later) and exits 4. And what the CLI's supervisor and node say of a
// cluster that mixes protocols: the supervisor through --log-level, the node always. And the
// metrics each serves with --metrics-port.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { superviseCommand } from '../../src/cli/supervise-command.js';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { tempDir } from '../store/fixtures.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());
const module = fileURLToPath(new URL('./fixtures/crashing-cluster.ts', import.meta.url));
const example = (name: string) =>
  fileURLToPath(new URL(`../../docs/examples/cluster/${name}`, import.meta.url));

/** The CLI as a process; `said` resolves with its output once it holds `text`. */
function cli(args: string[]): { child: ChildProcess; said: (text: string) => Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting: { text: string; done: (all: string) => void }[] = [];
  const hear = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiting.filter((w) => output.includes(w.text))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.done(output);
    }
  };
  child.stdout?.on('data', hear);
  child.stderr?.on('data', hear);
  return {
    child,
    said: (text) =>
      output.includes(text)
        ? Promise.resolve(output)
        : new Promise((done) => waiting.push({ text, done })),
  };
}

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

  it('says, supervisor and node, when an agent waits because the cluster mixes protocols', async () => {
    const url = await dir.postgresUrl();
    const schema = 'mixed';
    const supervisor = cli([
      '--log-level',
      'warn',
      'supervise',
      '--db',
      url,
      '--agents',
      example('cluster.ts'),
      '--schema',
      schema,
    ]);
    let node: ReturnType<typeof cli> | undefined;
    try {
      await supervisor.said('serving:');
      // An earlier overseer's node offering both agents, and a placement of its supervisor.
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      await db.query(
        `INSERT INTO "${schema}".nodes (node_id, host, pid, agents, heartbeat_at)
         VALUES ('node:old', 'box', 1, '["thumbnail","transcode"]', now() + interval '1 hour');
         INSERT INTO "${schema}".placements (channel, agent_id, supervisor, data, created_at)
         VALUES ('thumbnail/old', 'thumbnail', 'supervisor:old', '{}', now() - interval '2 seconds')`,
      );
      await db.end();
      expect(await supervisor.said('waits for a node: node node:old')).toMatch(
        /"level":40,.*"msg":"remote agent \w+ waits for a node: node node:old offers it but speaks no cluster protocol/,
      );
      // A node of this version takes this supervisor's agents, and says it leaves the other's.
      node = cli(['node', '--db', url, '--agents', example('agents.ts'), '--schema', schema]);
      expect(await node.said('leaves agent thumbnail of supervisor supervisor:old')).toMatch(
        /warning: node node:\S+ speaks cluster protocol 2 and leaves agent thumbnail of supervisor supervisor:old waiting: it was placed in no cluster protocol/,
      );
    } finally {
      for (const { child } of node ? [supervisor, node] : [supervisor]) {
        child.kill('SIGKILL');
        if (child.exitCode === null) await once(child, 'exit');
      }
    }
  });

  it('serves its metrics: 0 while it stands by, 1 and its system once it leads, none after', async () => {
    const url = await dir.postgresUrl();
    const args = ['supervise', '--agents', example('cluster.ts'), '--db', url];
    const flags = ['--schema', 'metered', '--lease-ms', '3000', '--metrics-port', '0'];
    const first = cli([...args, ...flags]);
    let second: ReturnType<typeof cli> | undefined;
    try {
      const leaderUrl = metricsUrl(await first.said('serving:'));
      second = cli([...args, ...flags]); // after: the first leads
      const standbyUrl = metricsUrl(await second.said('standing by'));
      const leader = await scrape(leaderUrl);
      expect(leader).toContain('overseer_cluster_leading 1');
      expect(leader).toMatch(/^overseer_cluster_leader_epoch 1$/m);
      expect(leader).toContain('overseer_tasks_submitted_total 0');
      expect(await scrape(standbyUrl)).toMatch(
        /^overseer_cluster_leading 0$[\s\S]*^overseer_cluster_leader_epoch 0$/m,
      );
      expect((await fetch(leaderUrl.replace('/metrics', '/other'))).status).toBe(404);
      // The leader drains and leaves, its metrics with it; the standby leads.
      first.child.kill('SIGTERM');
      const [code] = await once(first.child, 'exit');
      expect(code).toBe(0);
      await expect(fetch(leaderUrl)).rejects.toThrow();
      await second.said('serving:');
      expect(await scrape(standbyUrl)).toMatch(
        /^overseer_cluster_leading 1$[\s\S]*^overseer_cluster_leader_epoch 2$/m,
      );
    } finally {
      for (const { child } of second ? [first, second] : [first]) {
        if (child.exitCode === null) child.kill('SIGKILL');
        if (child.exitCode === null) await once(child, 'exit');
      }
    }
  });

  it('refuses a metrics port in use, naming the option', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const flags = { db: await dir.postgresUrl(), agents: module, schema: 'taken', leaseMs: 1_000 };
    await expect(
      superviseCommand({ ...flags, metricsPort: port }, () => undefined),
    ).rejects.toThrow(`port ${port} is in use: choose another with --metrics-port`);
    taken.close();
  });

  it('and overseer node serve their metrics from the command line', async () => {
    const url = await dir.postgresUrl();
    const schema = 'scraped';
    const common = ['--db', url, '--schema', schema, '--metrics-port', '0'];
    const supervisor = cli(['supervise', '--agents', example('cluster.ts'), ...common]);
    const node = cli(['node', '--agents', example('agents.ts'), '--runs', 'inline', ...common]);
    try {
      const leader = metricsUrl(await supervisor.said('serving:'));
      const hosting = metricsUrl(await node.said(' offers '));
      // Both remote agents of the example cluster placed on the one node.
      await until(async () => (await scrape(hosting)).includes('overseer_node_incarnations 2'));
      const text = await scrape(hosting);
      expect(text).toContain('overseer_node_attempts_in_flight 0');
      expect(text).toContain('overseer_node_draining 0');
      expect(text).toContain('overseer_node_database_silent_seconds 0');
      expect(text).toMatch(/^overseer_node_messages_waiting \d+$/m);
      expect(text).toMatch(/^overseer_node_inbox_reads_total [1-9]\d*$/m);
      // Placed on the node is not yet ready on the leader: their ready messages come after.
      await until(async () => /^overseer_agents\{state="idle"\} 2$/m.test(await scrape(leader)));
    } finally {
      for (const { child } of [supervisor, node]) {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
      }
    }
  });
});

/** The address a command said it serves its metrics at, in its output. */
function metricsUrl(output: string): string {
  const found = /^metrics at (\S+)$/m.exec(output);
  if (!found?.[1]) throw new Error(`no metrics address in: ${output}`);
  return found[1];
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
}
