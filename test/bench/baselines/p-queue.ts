// p-queue, the common in-process choice: N no-op tasks at a concurrency, optionally with
// priorities (the same spread of priorities overseer gets).
import PQueue from 'p-queue';
import { Milestones, type QueueThenRun, timeRun } from '../milestones.js';

export async function pQueue(n: number, concurrency: number, priorities: boolean): Promise<void> {
  const queue = new PQueue({ concurrency });
  for (let i = 0; i < n; i++)
    void queue.add(async () => i, priorities ? { priority: i % 10 } : undefined);
  await queue.onIdle();
}

/**
 * Fills a paused queue with `n` prioritized tasks (for at most `caps.fillMs`: p-queue
 * inserts by priority with an array splice, O(n) per task, so a million take minutes),
 * then runs it to completion (for at most `caps.runMs`); reports what it got to, as
 * overseer's runner does.
 */
export async function pQueueQueueThenRun(
  n: number,
  k: number,
  concurrency: number,
  caps: { readonly fillMs: number; readonly runMs: number },
): Promise<QueueThenRun> {
  const queue = new PQueue({ concurrency, autoStart: false });
  const fillStart = performance.now();
  let queued = 0;
  let tick = () => {};
  const task = async () => tick();
  while (queued < n && (queued % 10_000 !== 0 || performance.now() < fillStart + caps.fillMs))
    void queue.add(task, { priority: queued++ % 10 });
  const runStart = performance.now();
  const fillMs = runStart - fillStart;
  const milestones = new Milestones(runStart + caps.runMs, () => queue.clear());
  tick = milestones.tick;
  queue.start();
  const run = await timeRun(milestones, queued, k, runStart);
  queue.clear();
  await queue.onIdle();
  return { queued, fillMs, ...run };
}
