// BullMQ in the distributed row, on a private redis-server (private-redis.ts) in two
// configurations: runDurable (AOF with appendfsync always, so an acknowledged add or
// completion is on disk, like a PostgreSQL commit) and runDefault (no AOF; RDB snapshots
// off as well, so no background save lands inside a run). Producer: Queue.addBulk, one
// call per SUBMIT_BATCH jobs. Workers (workers/bullmq.ts): one Worker per process at
// concurrency 50, default options otherwise (completed jobs kept, as the PostgreSQL
// queues keep theirs). A job counts completed at the Worker's `completed` event, after
// Redis has moved it to completed.
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import {
  type BenchEnv,
  type Figures,
  figuresOf,
  type NoopPayload,
  submitInBatches,
} from './contract.js';
import { DEFAULT_FLAGS, DURABLE_FLAGS, startPrivateRedis } from './private-redis.js';
import { startWorkerFleet } from './worker-fleet.js';

export const QUEUE = 'noop';
const WORKER_FILE = fileURLToPath(new URL('./workers/bullmq.ts', import.meta.url));

async function runOn(flags: readonly string[], n: number): Promise<Figures> {
  const redis = await startPrivateRedis(flags);
  try {
    const queue = new Queue<NoopPayload>(QUEUE, { connection: { url: redis.url } });
    try {
      await queue.waitUntilReady();
      const fleet = await startWorkerFleet(WORKER_FILE, [redis.url]);
      try {
        const submitted = await submitInBatches(n, (from, count) =>
          queue.addBulk(
            Array.from({ length: count }, (_, k) => ({ name: 'noop', data: { i: from + k } })),
          ),
        );
        return figuresOf(submitted, await fleet.observe(n));
      } finally {
        await fleet.close();
      }
    } finally {
      await queue.close();
    }
  } finally {
    await redis.close();
  }
}

/** BullMQ on Redis with appendfsync always. `env` is unused: Redis is the bench's own. */
export const runDurable = (n: number, _env?: BenchEnv) => runOn(DURABLE_FLAGS, n);
/** BullMQ on Redis without persistence (AOF off, RDB off). */
export const runDefault = (n: number, _env?: BenchEnv) => runOn(DEFAULT_FLAGS, n);
