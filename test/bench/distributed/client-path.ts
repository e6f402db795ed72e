// The cluster as its clients use it, by hand: a client process (this one) submits n no-op
// tasks through `connectCluster` to a supervisor and 2 nodes (`overseer supervise` and
// `overseer node --runs thread`, as processes), each on a fresh database:
//   1. the client alone (no supervisor yet): how long its n submits take;
//   2. then the supervisor starts: how long until the n tasks waiting for it have finished;
//   3. on another database, submits and results at once, beside a running supervisor: from
//      the first submit until the client has every result.
//   npx tsx test/bench/distributed/client-path.ts [n]
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectCluster } from '../../../src/cluster/cluster-client.js';
import { Cluster } from '../../cluster/cluster-processes.js';
import { onFreshDatabase } from './fresh-database.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const n = Number(process.argv[2] ?? 30_000);
if (!Number.isInteger(n) || n < 1000) {
  process.stderr.write('usage: client-path.ts [n, at least 1000]\n');
  process.exit(2);
}
const cluster = (url: string) =>
  new Cluster(url, here('./workers/overseer-cluster.ts'), here('./workers/overseer-agents.ts'));
const ms = (since: number) => `${Math.round(performance.now() - since)} ms`;

/** n submits, 1,000 at a time (each durable when it resolves). */
async function submitAll(client: Awaited<ReturnType<typeof connectCluster>>) {
  const tasks = [];
  for (let i = 0; i < n; i += 1_000)
    tasks.push(
      ...(await Promise.all(
        Array.from({ length: 1_000 }, () =>
          client.submit({ type: 'noop', capabilities: ['noop'] }),
        ),
      )),
    );
  return tasks;
}

await onFreshDatabase(async (url) => {
  const client = await connectCluster(url);
  const c = cluster(url);
  try {
    let t = performance.now();
    await submitAll(client);
    process.stdout.write(`1. client alone: ${n} submits in ${ms(t)}\n`);
    c.node();
    c.node();
    t = performance.now();
    c.supervisor();
    await c.serving();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    for (;;) {
      const { rows } = await db.query(
        'SELECT count(*)::int AS done FROM overseer.tasks WHERE finished_at IS NOT NULL',
      );
      if (rows[0].done >= n) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await db.end();
    process.stdout.write(`2. then the supervisor: all ${n} finished ${ms(t)} after it started\n`);
  } finally {
    await client.close();
    await c.stop();
  }
});

await onFreshDatabase(async (url) => {
  const c = cluster(url);
  c.supervisor();
  await c.serving();
  c.node();
  c.node();
  const client = await connectCluster(url);
  try {
    const t = performance.now();
    const tasks = await submitAll(client);
    const submitted = ms(t);
    await Promise.all(tasks.map((task) => task.result()));
    process.stdout.write(
      `3. beside the supervisor: ${n} submitted in ${submitted}, every result in ${ms(t)}\n`,
    );
  } finally {
    await client.close();
    await c.stop();
  }
});
