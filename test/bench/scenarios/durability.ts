// Scenario 7 (durability): the throughput scenario's no-op tasks on a system with a
// store: none (the default), a memory store, and a SQLite file at synchronous FULL and
// NORMAL, each as tasks/s and as a ratio to no store, measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystem, memoryStore, type Store, sqliteStore } from '../../../src/index.js';
import { type Row, row, type ScenarioResult, sample } from '../harness.js';
import { Milestones } from '../milestones.js';
import { noopSpecs } from '../overseer-runner.js';

async function runWith(n: number, store: () => Store | undefined): Promise<number> {
  const opened = store();
  const system = createSystem({
    agents: [{ id: 'noop', replicas: 100, handler: async () => 1 }],
    ...(opened ? { store: opened } : {}),
  }).start();
  const milestones = new Milestones();
  system.on('task.completed', milestones.tick);
  const start = performance.now();
  await system.submitMany(noopSpecs(n));
  const end = (await milestones.reached(n)) ?? Number.NaN;
  await system.stop({ timeoutMs: 0 });
  await opened?.close();
  return (n * 1_000) / (end - start);
}

export async function durability(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 5_000 : 20_000;
  const runs = { warmup: 1, runs: quick ? 3 : 5 };
  const dir = mkdtempSync(join(tmpdir(), 'overseer-bench-'));
  let files = 0;
  const file = () => join(dir, `run-${files++}.db`);
  const none = await sample(() => runWith(n, () => undefined), runs);
  const stores: [string, () => Store][] = [
    ['memory store', () => memoryStore()],
    ['SQLite, synchronous NORMAL', () => sqliteStore(file(), { synchronous: 'normal' })],
    ['SQLite, synchronous FULL', () => sqliteStore(file(), { synchronous: 'full' })],
  ];
  const rows: Row[] = [row('no store (default)', none, 'tasks/s')];
  for (const [label, open] of stores) {
    const s = await sample(() => runWith(n, open), runs);
    rows.push(row(label, s, 'tasks/s', { ratio: s.median / none.median, baseline: 'no store' }));
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    scenario: 'durability',
    rows,
    notes: [`${n} no-op tasks in one submitMany, 100 agents; each run on a fresh store`],
  };
}
