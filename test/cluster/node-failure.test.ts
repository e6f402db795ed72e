// Nodes as separate processes: one is killed (SIGKILL) while it hosts an agent with a task
// in flight. Its agent's heartbeats stop, so the supervisor restarts the agent, the other
// node claims it, and the task runs again there, within its retry policy. A node sent
// SIGTERM drains: it finishes what it runs, hands its agents back and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createSystem } from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
const nodes: ChildProcess[] = [];
afterAll(async () => {
  for (const child of nodes) child.kill('SIGKILL');
  await dir.remove();
});
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));

/** Starts `overseer node` as a process; resolves once it says what it offers. */
async function node(url: string, schema: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'node',
      '--db',
      url,
      '--schema',
      schema,
      '--agents',
      agents,
      '--runs',
      'thread',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  nodes.push(child);
  // Read on to the end (a stream left unread would break the node's later lines: EPIPE).
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(' offers ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code}: ${out}`)));
  });
  expect(out).toMatch(/node:.+ offers bigint, chatty, echo, slow, where \(each in a thread\)/);
  return { child, pid: child.pid as number, output: () => out };
}

/** The pid of the node hosting `agentId` now, from its placement. */
async function hostOf(url: string, schema: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT node_id FROM "${schema}".placements WHERE node_id IS NOT NULL`,
    );
    const id = rows[0]?.node_id as string | undefined;
    return id === undefined ? undefined : Number(id.split(':')[2]);
  } finally {
    await client.end();
  }
}

describe('nodes as processes', () => {
  it('a killed node’s agent is restarted on another node, and its task runs again there', async () => {
    const schema = 'failure';
    const store = await dir.postgres({ schema });
    const url = await dir.postgresUrl();
    const a = await node(url, schema);
    const system = createSystem({
      store,
      heartbeatIntervalMs: 200,
      heartbeatTimeoutMs: 1_500,
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 50 } },
      restartBackoff: { kind: 'fixed', delayMs: 50 },
      agents: [{ id: 'slow', runs: 'remote', capabilities: ['slow'], concurrency: 2 }],
    }).start();
    const first = await system.submit({ type: 'slow', input: { ms: 10 }, capabilities: ['slow'] });
    expect(await first.result()).toMatchObject({ slept: 10 });
    expect(await hostOf(url, schema)).toBe(a.pid);
    const b = await node(url, schema);
    // A task in flight on a when it dies.
    const started = new Promise((resolve) => system.on('task.started', resolve));
    const inFlight = await system.submit({
      type: 'slow',
      input: { ms: 500 },
      capabilities: ['slow'],
    });
    await started;
    a.child.kill('SIGKILL');
    await expect(inFlight.result()).resolves.toMatchObject({ slept: 500 });
    expect(system.task(inFlight.id).attempts).toBe(2);
    expect(await hostOf(url, schema)).toBe(b.pid);
    // SIGTERM drains b: it exits 0 once idle, and hands the agent back.
    b.child.kill('SIGTERM');
    const [code] = await once(b.child, 'exit');
    expect(code).toBe(0);
    expect(b.output()).toMatch(/SIGTERM: draining 1 agent\(s\)\n.* left the cluster/);
    expect(await hostOf(url, schema)).toBeUndefined();
    await system.stop({ timeoutMs: 0 });
  });

  it('a node outlives its database connections: it heartbeats again once they are back', async () => {
    const schema = 'reconnect';
    await dir.postgres({ schema });
    const url = await dir.postgresUrl();
    const a = await node(url, schema);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Every connection of the node ends, as in a database restart: its LISTEN
      // connection too, which was the last thing keeping an idle node's event loop busy.
      const { rows } = await admin.query<{ at: Date }>(
        `SELECT clock_timestamp() AS at, pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      const endedAt = (rows[0] as { at: Date }).at;
      const exited = once(a.child, 'exit').then(([code]) => {
        throw new Error(`the node exited (${code}) when its connections ended: ${a.output()}`);
      });
      const heartbeat = (async () => {
        for (;;) {
          const beat = await admin.query(
            `SELECT 1 FROM "${schema}".nodes WHERE heartbeat_at > $1`,
            [endedAt],
          );
          if (beat.rowCount === 1) return;
          await admin.query('SELECT pg_sleep(0.05)');
        }
      })();
      await Promise.race([heartbeat, exited]);
      expect(a.child.exitCode).toBeNull();
    } finally {
      await admin.end();
      a.child.kill('SIGKILL');
    }
  });
});
