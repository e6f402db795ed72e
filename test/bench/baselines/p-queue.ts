// p-queue, the common in-process choice: N no-op tasks at a concurrency, optionally with
// priorities (the same spread of priorities overseer gets).
import PQueue from 'p-queue';

export async function pQueue(n: number, concurrency: number, priorities: boolean): Promise<void> {
  const queue = new PQueue({ concurrency });
  for (let i = 0; i < n; i++)
    void queue.add(async () => i, priorities ? { priority: i % 10 } : undefined);
  await queue.onIdle();
}

/**
 * Fills a paused queue with `n` prioritized tasks, then runs the first `k`: the ms each
 * took, or `fillMs: undefined` when filling exceeded `capMs` (p-queue inserts by
 * priority with an array splice, O(n) per task).
 */
export async function pQueueFirst(
  n: number,
  k: number,
  concurrency: number,
  capMs: number,
): Promise<{ fillMs: number | undefined; runMs: number | undefined }> {
  const queue = new PQueue({ concurrency, autoStart: false });
  let done = 0;
  let resolveRun!: () => void;
  const finished = new Promise<void>((resolve) => (resolveRun = resolve));
  const task = async () => {
    if (++done === k) resolveRun();
  };
  const fillStart = performance.now();
  for (let i = 0; i < n; i++) {
    void queue.add(task, { priority: i % 10 });
    if (i % 10_000 === 0 && performance.now() - fillStart > capMs) {
      queue.clear();
      return { fillMs: undefined, runMs: undefined };
    }
  }
  const fillMs = performance.now() - fillStart;
  const runStart = performance.now();
  queue.start();
  await finished;
  const runMs = performance.now() - runStart;
  queue.clear();
  await queue.onIdle();
  return { fillMs, runMs };
}
