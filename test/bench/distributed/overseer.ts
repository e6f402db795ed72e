// overseer in the distributed row: the supervisor in the bench process on a PostgreSQL
// store (`postgresStore`), its agent `noop` declared `runs: 'remote'` (2 replicas of
// concurrency 50: 100 in all), hosted by WORKER_PROCESSES `overseer node` processes, each
// agent inline in its node (`--runs inline`): the others' workers run their handlers in the
// worker process too. OVERSEER_BENCH_RUNS=thread (or process) measures an isolated agent. The producer is the supervisor's own `submitMany`,
// batches of SUBMIT_BATCH, each durable (committed) before the next is made, as a service
// embedding the supervisor submits. A job's start is Date.now() in the handler, which
// returns it; the run ends when the bench has every result.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createSystem, postgresStore, type TaskHandle } from '../../../src/index.js';
import {
  type BenchEnv,
  CONCURRENCY_PER_WORKER,
  type Figures,
  figuresOf,
  submitInBatches,
  WORKER_PROCESSES,
} from './contract.js';
import { processesSeconds, spentBetween } from './machine-cpu.js';

const cli = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const agents = fileURLToPath(new URL('./workers/overseer-agents.ts', import.meta.url));
const RUNS = process.env.OVERSEER_BENCH_RUNS ?? 'inline';
// By hand: the system's startWriteDelayMs (default 0, as the product's), to measure it.
const START_WRITE_DELAY_MS = Number(process.env.OVERSEER_BENCH_START_WRITE_DELAY_MS ?? 0);
if (!['inline', 'thread', 'process'].includes(RUNS))
  throw new Error(`OVERSEER_BENCH_RUNS must be inline, thread or process, not ${RUNS}`);

/** Starts a node process; resolves once it says what it offers. */
async function startNodeProcess(url: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'node', '--db', url, '--agents', agents, '--runs', RUNS],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(' offers ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`overseer node exited with ${code}: ${out}`)));
  });
  return child;
}

export async function run(n: number, env: BenchEnv): Promise<Figures> {
  const store = await postgresStore(env.pgUrl, { poolSize: 8 });
  const db = new pg.Pool({ connectionString: env.pgUrl, max: 1 });
  const nodes = await Promise.all(
    Array.from({ length: WORKER_PROCESSES }, () => startNodeProcess(env.pgUrl)),
  );
  const system = createSystem({
    store,
    queueCapacity: Math.max(1_000_000, n),
    startWriteDelayMs: START_WRITE_DELAY_MS,
    agents: [
      {
        id: 'noop',
        runs: 'remote',
        capabilities: ['noop'],
        replicas: WORKER_PROCESSES,
        concurrency: env.concurrencyPerWorker ?? CONCURRENCY_PER_WORKER,
      },
    ],
  }).start();
  try {
    // Both agents on their nodes, ready, before the clock starts (as the others' workers are).
    await new Promise<void>((resolve) => {
      const check = () => {
        if (system.agents().filter((a) => a.state !== 'starting').length >= WORKER_PROCESSES)
          resolve();
      };
      system.on('agent.registered', check);
      check();
    });
    // Whose CPU the run spends: this process (supervisor and producer), the nodes, and the
    // database's backends for this database (the pools' connections live through the run).
    const backends = async () => {
      const { rows } = await db.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return processesSeconds(rows.map((r) => r.pid));
    };
    const nodePids = nodes.flatMap((node) => (node.pid === undefined ? [] : [node.pid]));
    const before = {
      self: process.cpuUsage(),
      nodes: processesSeconds(nodePids),
      db: await backends(),
    };
    const handles: TaskHandle[] = [];
    const submitted = await submitInBatches(n, async (_from, count) => {
      const batch = Array.from({ length: count }, () => ({ type: 'noop', capabilities: ['noop'] }));
      handles.push(...(await system.submitMany(batch)));
    });
    const startedAt = new Float64Array(n);
    let lastCompletedAt = 0;
    await Promise.all(
      handles.map(async (handle, i) => {
        startedAt[i] = (await handle.result()) as number;
        lastCompletedAt = Math.max(lastCompletedAt, Date.now());
      }),
    );
    const figures = figuresOf(submitted, { startedAt, lastCompletedAt, repeats: 0 });
    const self = process.cpuUsage(before.self);
    const perJob = (seconds: number) => (seconds * 1e6) / n;
    const nodeSeconds = spentBetween(before.nodes, processesSeconds(nodePids));
    const split = {
      supervisor: (self.user + self.system) / n,
      nodes: perJob(nodeSeconds),
      database: perJob(spentBetween(before.db, await backends())),
    };
    return { ...figures, ...(before.db.size > 0 && nodeSeconds > 0 ? { split } : {}) };
  } finally {
    await system.stop({ timeoutMs: 1_000 });
    await store.close();
    await db.end();
    for (const node of nodes) node.kill('SIGKILL');
    await Promise.all(nodes.map((node) => (node.exitCode === null ? once(node, 'exit') : null)));
  }
}
