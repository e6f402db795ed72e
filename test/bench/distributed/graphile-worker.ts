// graphile-worker in the distributed row. Producer: WorkerUtils.addJobs (one
// `add_jobs` call per SUBMIT_BATCH jobs) after WorkerUtils.migrate(). Workers
// (workers/graphile-worker.ts): run() at concurrency 50 each, with the batching its
// performance guide uses (worker.graphile.org/docs/performance): localQueue.size 500,
// completeJobBatchDelay 0 and failJobBatchDelay 0; default pool (10 connections),
// LISTEN/NOTIFY wake-ups (built in), pollInterval 2 s default; NO_LOG_SUCCESS=1 so 50k
// "Completed task" lines are not the thing measured. A job counts completed at the
// library's `job:success` event, which comes before its batched completion is written.
import { fileURLToPath } from 'node:url';
import { makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import {
  type BenchEnv,
  type Figures,
  figuresOf,
  type NoopPayload,
  submitInBatches,
} from './contract.js';
import { startWorkerFleet } from './worker-fleet.js';

const WORKER_FILE = fileURLToPath(new URL('./workers/graphile-worker.ts', import.meta.url));

export async function run(n: number, env: BenchEnv): Promise<Figures> {
  // A pool of our own, ended by us: WorkerUtils' own pool could outlive release() and
  // crash the bench with an unhandled 'error' when the caller drops the database.
  const pool = new pg.Pool({ connectionString: env.pgUrl });
  pool.on('error', () => {});
  const utils = await makeWorkerUtils({ pgPool: pool });
  try {
    await utils.migrate();
    const fleet = await startWorkerFleet(WORKER_FILE, [env.pgUrl], { NO_LOG_SUCCESS: '1' });
    try {
      const submitted = await submitInBatches(n, (from, count) =>
        utils.addJobs(
          Array.from({ length: count }, (_, k) => ({
            identifier: 'noop',
            payload: { i: from + k } satisfies NoopPayload,
          })),
        ),
      );
      return figuresOf(submitted, await fleet.observe(n));
    } finally {
      await fleet.close();
    }
  } finally {
    await utils.release();
    await pool.end();
  }
}
