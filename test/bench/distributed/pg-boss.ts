// pg-boss in the distributed row. Producer: one PgBoss (migrate on, supervise and
// schedule off), createQueue, then insert() (one multi-row INSERT per SUBMIT_BATCH jobs).
// Workers (workers/pg-boss.ts): per process WORK_LOOPS work() loops of batchSize
// WORK_BATCH, so at most 50 jobs in hand per process (pg-boss 10 has no teamSize; its
// guide says call work() more than once for concurrency), pollingIntervalSeconds 0.5
// (the minimum it allows), default pool (10 connections), supervise/schedule/migrate off.
// pg-boss 10 has no LISTEN/NOTIFY: each loop sleeps out its polling interval even after
// a full fetch, which caps it at batchSize jobs per 0.5 s. `wake` (the default) lets a
// loop that fetched a full batch notifyWorker() itself so it fetches again at once: what
// pg-boss 12's burst mode does on its own (12 needs Node 22; this repo runs on Node 20).
// A job counts completed when its batch handler returns; pg-boss then sends complete()
// without awaiting it.
import { fileURLToPath } from 'node:url';
import PgBoss from 'pg-boss';
import {
  type BenchEnv,
  type Figures,
  figuresOf,
  type NoopPayload,
  submitInBatches,
} from './contract.js';
import { startWorkerFleet } from './worker-fleet.js';

export const QUEUE = 'noop';
export const WORK_LOOPS = 5;
export const WORK_BATCH = 10;
export type WorkMode = 'wake' | 'poll';

const WORKER_FILE = fileURLToPath(new URL('./workers/pg-boss.ts', import.meta.url));

export async function run(n: number, env: BenchEnv, mode: WorkMode = 'wake'): Promise<Figures> {
  const boss = new PgBoss({ connectionString: env.pgUrl, supervise: false, schedule: false });
  boss.on('error', (error) => process.stderr.write(`pg-boss producer: ${error.message}\n`));
  await boss.start();
  try {
    await boss.createQueue(QUEUE);
    const fleet = await startWorkerFleet(WORKER_FILE, [env.pgUrl, mode]);
    try {
      const submitted = await submitInBatches(n, (from, count) =>
        boss.insert(
          Array.from({ length: count }, (_, k) => ({
            name: QUEUE,
            data: { i: from + k } satisfies NoopPayload,
          })),
        ),
      );
      return figuresOf(submitted, await fleet.observe(n));
    } finally {
      await fleet.close();
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** pg-boss with its plain polling (no self-wake after a full batch), for comparison. */
export const runPolling = (n: number, env: BenchEnv) => run(n, env, 'poll');
