// BullMQ, the common Redis-backed job queue: one Worker at a concurrency running no-op
// jobs (the processor returns 1), N jobs added with addBulk in chunks, timed from the
// first add until the worker has reported every job completed. Default job options, so
// completed jobs stay in Redis as overseer remembers finished tasks; each run has a queue
// of its own, obliterated afterwards.
import { Queue, Worker } from 'bullmq';

const CHUNK = 1_000;
let queuesCreated = 0;

/** Wall ms to add `n` no-op jobs and see one worker at `concurrency` complete them all. */
export async function bullmqRunAll(
  n: number,
  redisUrl: string,
  concurrency: number,
): Promise<number> {
  const name = `overseer-bench-${process.pid}-${++queuesCreated}`;
  const connection = { url: redisUrl };
  const queue = new Queue(name, { connection });
  const worker = new Worker(name, async () => 1, { connection, concurrency });
  const allCompleted = new Promise<void>((resolve, reject) => {
    let completed = 0;
    worker.on('completed', () => {
      if (++completed === n) resolve();
    });
    worker.on('failed', (_job, error) => reject(error));
    worker.on('error', reject);
  });
  const addAll = async () => {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const start = performance.now();
    await addInChunks(queue, n);
    return start;
  };
  try {
    const [start] = await Promise.all([addAll(), allCompleted]);
    return performance.now() - start;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

async function addInChunks(queue: Queue, n: number): Promise<void> {
  for (let from = 0; from < n; from += CHUNK)
    await queue.addBulk(
      Array.from({ length: Math.min(CHUNK, n - from) }, (_, i) => ({
        name: 'noop',
        data: from + i,
      })),
    );
}
