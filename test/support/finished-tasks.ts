// A PostgreSQL store (schema `overseer`) given `n` finished tasks, run to completion by a
// system in this process: what a long-lived leader leaves for the next one to take over.
import { createSystem, postgresStore } from '../../src/index.js';

export async function finishTasks(url: string, n: number): Promise<void> {
  const store = await postgresStore(url, { poolSize: 8 });
  const system = createSystem({
    store,
    queueCapacity: Math.max(1_000, n),
    agents: [{ id: 'filler', capabilities: ['filler'], concurrency: 100, handler: () => 1 }],
  }).start();
  try {
    const results: Promise<unknown>[] = [];
    for (let from = 0; from < n; from += 1_000) {
      const count = Math.min(1_000, n - from);
      const batch = Array.from({ length: count }, () => ({
        type: 'fill',
        capabilities: ['filler'],
      }));
      for (const handle of await system.submitMany(batch)) results.push(handle.result());
    }
    await Promise.all(results);
  } finally {
    await system.stop({ timeoutMs: 1_000 });
    await store.close();
  }
}
