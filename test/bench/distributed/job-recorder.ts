// The worker side of the contract: notes each job's start (Date.now() at handler entry)
// and the last completion in memory, tells the bench the count of completed jobs every
// PROGRESS_MS over the IPC channel, and, when the bench asks, sends its notes, stops the
// library through `shutdown` and exits.
import { type BenchMessage, PROGRESS_MS, type WorkerMessage } from './contract.js';

export interface JobRecorder {
  /** Call first thing in the handler. */
  started(i: number): void;
  /** Call when the library says the job completed. */
  completed(): void;
  /** Call once the library is connected and taking jobs. */
  ready(): void;
}

export function jobRecorder(shutdown: () => Promise<void>): JobRecorder {
  const send = (message: WorkerMessage) => process.send?.(message);
  const indexes: number[] = [];
  const startedAt: number[] = [];
  let completedCount = 0;
  let sentCount = 0;
  let lastCompletedAt = 0;
  const progress = setInterval(() => {
    if (completedCount === sentCount) return;
    sentCount = completedCount;
    send({ type: 'progress', completed: completedCount });
  }, PROGRESS_MS);
  process.on('message', async (message: BenchMessage) => {
    if (message.type !== 'report') return;
    clearInterval(progress);
    const report: WorkerMessage = { type: 'report', indexes, startedAt, lastCompletedAt };
    await new Promise((sent) => process.send?.(report, undefined, {}, sent));
    await shutdown();
    process.disconnect?.();
    process.exit(0);
  });
  // The bench stopping us early (a failed run): go without a report.
  process.once('SIGTERM', () => process.exit(1));
  process.once('disconnect', () => process.exit(1));
  return {
    started(i) {
      indexes.push(i);
      startedAt.push(Date.now());
    },
    completed() {
      completedCount++;
      lastCompletedAt = Date.now();
    },
    ready() {
      send({ type: 'ready' });
    },
  };
}

/** The worker's argument at `position` (after `node --import tsx <file>`), required. */
export function workerArgument(position: number, name: string): string {
  const value = process.argv[2 + position];
  if (!value) throw new Error(`worker needs its ${name} as argument ${position + 1}`);
  return value;
}
