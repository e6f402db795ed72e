// p-queue, the common in-process choice: N no-op tasks at a concurrency, optionally with
// priorities (the same spread of priorities overseer gets).
import PQueue from 'p-queue';

export async function pQueue(n: number, concurrency: number, priorities: boolean): Promise<void> {
  const queue = new PQueue({ concurrency });
  for (let i = 0; i < n; i++)
    void queue.add(async () => i, priorities ? { priority: i % 10 } : undefined);
  await queue.onIdle();
}

/** Time to run the first `k` of `n` queued tasks, with priorities. */
export async function pQueueFirst(n: number, k: number, concurrency: number): Promise<number> {
  const queue = new PQueue({ concurrency, autoStart: false });
  let done = 0;
  let started = 0;
  const finished = new Promise<void>((resolve) => {
    for (let i = 0; i < n; i++)
      void queue.add(
        async () => {
          if (++done === k) resolve();
        },
        { priority: i % 10 },
      );
  });
  started = performance.now();
  queue.start();
  await finished;
  const ms = performance.now() - started;
  queue.clear();
  await queue.onIdle();
  return ms;
}
