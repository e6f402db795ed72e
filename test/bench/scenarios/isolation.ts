// Scenario 8 (isolation): CPU-bound tasks (chained SHA-256) on two agents placed inline,
// in threads and in processes: throughput as a ratio to inline (two inline agents share
// one event loop; two threads or processes can use both cores), and the run latency a
// task sees from start to end.
import { fileURLToPath } from 'node:url';
import { type AgentDeclaration, createSystem } from '../../../src/index.js';
import hash from '../fixtures/hash-work.js';
import { quantile, type Row, row, type ScenarioResult, sample } from '../harness.js';

const module = fileURLToPath(new URL('../fixtures/hash-work.ts', import.meta.url));

async function run(
  placement: 'inline' | 'thread' | 'process',
  tasks: number,
  rounds: number,
): Promise<{ perSecond: number; runMs: number[] }> {
  const agent: AgentDeclaration =
    placement === 'inline'
      ? { id: 'hasher', replicas: 2, handler: hash }
      : { id: 'hasher', replicas: 2, runs: placement, module };
  const system = createSystem({ agents: [agent], heartbeatTimeoutMs: 30_000 }).start();
  const runMs: number[] = [];
  system.onLatency((o) => {
    if (o.kind === 'run') runMs.push(o.ms);
  });
  // Let threads or processes boot before timing: a service starts its agents once.
  await new Promise<void>((resolve) => setTimeout(resolve, placement === 'inline' ? 0 : 1_000));
  const start = performance.now();
  const handles = await system.submitMany(
    Array.from({ length: tasks }, () => ({ type: 'hash', input: rounds })),
  );
  await Promise.all(handles.map((h) => h.result()));
  const ms = performance.now() - start;
  await system.stop({ timeoutMs: 0 });
  return { perSecond: (tasks * 1_000) / ms, runMs: runMs.sort((a, b) => a - b) };
}

export async function isolation(quick: boolean): Promise<ScenarioResult> {
  const tasks = quick ? 40 : 200;
  const rounds = 20_000;
  const runs = { warmup: 1, runs: quick ? 3 : 5 };
  const rows: Row[] = [];
  let inline = Number.NaN;
  for (const placement of ['inline', 'thread', 'process'] as const) {
    const latencies: number[] = [];
    const s = await sample(async () => {
      const r = await run(placement, tasks, rounds);
      latencies.push(quantile(r.runMs, 0.5));
      return r.perSecond;
    }, runs);
    if (placement === 'inline') inline = s.median;
    rows.push(
      row(`${placement}: throughput, 2 agents`, s, 'tasks/s', {
        ...(placement === 'inline' ? {} : { ratio: s.median / inline, baseline: 'inline' }),
      }),
    );
    rows.push(
      row(
        `${placement}: run latency p50`,
        quantile(
          latencies.sort((a, b) => a - b),
          0.5,
        ),
        'ms',
      ),
    );
  }
  return {
    scenario: 'isolation',
    rows,
    notes: [`${tasks} tasks of ${rounds} chained SHA-256 hashes each; agents booted before timing`],
  };
}
