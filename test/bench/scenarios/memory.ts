// Scenario 3: heap bytes per queued task (100k and 1M queued, the system not started so
// nothing runs), and per idle agent (1k and 10k agents, started, nothing queued).
import { createSystem } from '../../../src/index.js';
import { heapUsed, type Row, row, type ScenarioResult } from '../harness.js';
import { noopSystem, submitAll } from '../overseer-runner.js';

export async function memory(quick: boolean): Promise<ScenarioResult> {
  const rows: Row[] = [];
  for (const n of quick ? [100_000] : [100_000, 1_000_000]) {
    const system = noopSystem(1);
    const before = heapUsed();
    await submitAll(system, n);
    const after = heapUsed();
    rows.push(
      row(`heap per queued task, ${n.toLocaleString('en')} queued`, (after - before) / n, 'bytes'),
    );
    await system.stop({ timeoutMs: 0 });
  }
  for (const agents of quick ? [1_000] : [1_000, 10_000]) {
    const before = heapUsed();
    const system = createSystem({
      agents: [{ id: 'idle', replicas: agents, handler: async () => 1 }],
    });
    system.start();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const after = heapUsed();
    rows.push(
      row(
        `heap per idle agent, ${agents.toLocaleString('en')} agents`,
        (after - before) / agents,
        'bytes',
      ),
    );
    await system.stop({ timeoutMs: 0 });
  }
  return { scenario: 'memory', rows, notes: ['heapUsed after two full GCs (node --expose-gc)'] };
}
