// Where the distributed row's supervisor spends its CPU: the same producer (batches of
// 1,000, each durable before the next) and 100 slots (2 agents of 50), with the agents in
// this process, on no store, on the memory store and on the PostgreSQL store; beside it
// the distributed row's own figure (`try.ts overseer`, agents on nodes). Prints the CPU
// this process spent per job and its jobs/s, each store in a fresh process:
//   npx tsx test/bench/distributed/supervisor-cost.ts [n]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSystem, memoryStore, postgresStore, type Store } from '../../../src/index.js';
import { CONCURRENCY_PER_WORKER, SUBMIT_BATCH, WORKER_PROCESSES } from './contract.js';
import { onFreshDatabase } from './fresh-database.js';

const STORES = ['none', 'memory', 'postgres'] as const;
type StoreKind = (typeof STORES)[number];

async function measure(kind: StoreKind, n: number, pgUrl: string): Promise<string> {
  const store: Store | undefined =
    kind === 'postgres'
      ? await postgresStore(pgUrl, { poolSize: 8 })
      : kind === 'memory'
        ? memoryStore()
        : undefined;
  const system = createSystem({
    ...(store ? { store } : {}),
    queueCapacity: Math.max(1_000_000, n),
    agents: [
      {
        id: 'noop',
        capabilities: ['noop'],
        replicas: WORKER_PROCESSES,
        concurrency: CONCURRENCY_PER_WORKER,
        handler: async () => Date.now(),
      },
    ],
  }).start();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const results: Promise<unknown>[] = [];
  for (let from = 0; from < n; from += SUBMIT_BATCH) {
    const count = Math.min(SUBMIT_BATCH, n - from);
    const batch = Array.from({ length: count }, () => ({ type: 'noop', capabilities: ['noop'] }));
    for (const handle of await system.submitMany(batch)) results.push(handle.result());
  }
  await Promise.all(results);
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1_000;
  await system.stop({ timeoutMs: 1_000 });
  await store?.close();
  const perJob = (used.user + used.system) / n;
  return `${kind}: ${perJob.toFixed(0)} µs CPU a job, ${(n / seconds).toFixed(0)} jobs/s`;
}

const [what, nText = '50000'] = process.argv.slice(2);
const n = Number(what && STORES.includes(what as StoreKind) ? nText : (what ?? nText));
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write('usage: supervisor-cost.ts [n]\n');
  process.exit(2);
}
if (what && STORES.includes(what as StoreKind)) {
  // One store, in this (fresh) process.
  const line = await onFreshDatabase((url) => measure(what as StoreKind, n, url));
  process.stdout.write(`${line}\n`);
  process.exit(0);
}
const self = fileURLToPath(import.meta.url);
for (const kind of STORES)
  process.stdout.write(
    execFileSync(process.execPath, ['--import', 'tsx', self, kind, String(n)], {
      encoding: 'utf8',
    }),
  );
