// Heap across rounds of finished tasks on one system (8 agents x concurrency 16): in use
// after full collections before the system starts, after each round, and after stop()
// with no reference left. Shared by the leak test's child process and the soak benchmark.
import { createSystem, type OverseerSystem, type Store } from '../../src/index.js';

export interface HeapRounds {
  readonly baseline: number;
  readonly perRound: readonly number[];
  readonly afterStop: number;
}

async function runRound(system: OverseerSystem, n: number): Promise<void> {
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    const off = system.on('task.completed', () => {
      if (++done < n) return;
      off();
      resolve();
    });
  });
  await system.submitMany(Array.from({ length: n }, () => ({ type: 'noop' })));
  await finished;
}

export async function heapRounds(o: {
  readonly rounds: number;
  readonly tasks: number;
  readonly retainFinished: number;
  /** A durable store the system writes to, opened before the baseline; closed after stop(). */
  readonly store?: Store;
  /** heapUsed after full collections (needs node --expose-gc). */
  heapAfterGc(): Promise<number>;
}): Promise<HeapRounds> {
  const baseline = await o.heapAfterGc();
  let system: OverseerSystem | undefined = createSystem({
    retainFinished: o.retainFinished,
    ...(o.store ? { store: o.store } : {}),
    agents: [{ id: 'noop', replicas: 8, concurrency: 16, handler: async () => 1 }],
  }).start();
  const perRound: number[] = [];
  for (let round = 0; round < o.rounds; round++) {
    await runRound(system, o.tasks);
    perRound.push(await o.heapAfterGc());
  }
  await system.stop();
  await o.store?.close();
  system = undefined;
  return { baseline, perRound, afterStop: await o.heapAfterGc() };
}
