// Scenario 3: heap bytes per queued task (100k and 1M queued, the system not started so
// nothing runs), per idle agent (1k and 10k agents, started, nothing queued, less a system
// without agents), and what a finished task leaves behind (records kept for status and
// idempotency), each from heapUsed after full collections.
import { createSystem, type OverseerSystem } from '../../../src/index.js';
import { heapUsed, type Row, row, type ScenarioResult } from '../harness.js';
import { Milestones } from '../milestones.js';
import { noopSpecs, noopSystem, overseerRunAll, submitAll } from '../overseer-runner.js';

const count = (n: number) => n.toLocaleString('en');

async function heapOfIdle(agents: number): Promise<number> {
  const before = heapUsed();
  const system: OverseerSystem = createSystem({
    agents: agents > 0 ? [{ id: 'idle', replicas: agents, handler: async () => 1 }] : [],
  }).start();
  await new Promise<void>((resolve) => setImmediate(resolve));
  const bytes = heapUsed() - before;
  await system.stop({ timeoutMs: 0 });
  return bytes;
}

/** What a running system still holds per task after running `n` tasks to completion. */
async function keptPerTask(n: number): Promise<number> {
  const system = noopSystem(100).start();
  const milestones = new Milestones();
  system.on('task.completed', milestones.tick);
  await overseerRunAll(1_000, 100); // warm-up
  const before = heapUsed();
  await system.submitMany(noopSpecs(n));
  await milestones.reached(n);
  const bytes = heapUsed() - before;
  await system.stop({ timeoutMs: 0 });
  return bytes / n;
}

export async function memory(quick: boolean): Promise<ScenarioResult> {
  const rows: Row[] = [];
  for (const n of quick ? [100_000] : [100_000, 1_000_000]) {
    const system = noopSystem(1);
    const before = heapUsed();
    await submitAll(system, n);
    const bytes = heapUsed() - before;
    rows.push(row(`heap per queued task, ${count(n)} queued`, bytes / n, 'bytes'));
    await system.stop({ timeoutMs: 0 });
  }
  await heapOfIdle(10); // warm-up: module state, JIT
  const empty = await heapOfIdle(0);
  for (const agents of quick ? [1_000] : [1_000, 10_000]) {
    const bytes = (await heapOfIdle(agents)) - empty;
    rows.push(row(`heap per idle agent, ${count(agents)} agents`, bytes / agents, 'bytes'));
  }
  const finished = quick ? 10_000 : 100_000;
  rows.push(
    row(
      `heap kept per finished task, ${count(finished)} finished`,
      await keptPerTask(finished),
      'bytes',
    ),
  );
  return {
    scenario: 'memory',
    rows,
    notes: [
      'heapUsed after two full GCs (node --expose-gc)',
      'kept per finished task: what a running system still holds after running them (records for status and idempotency)',
    ],
  };
}
