// Scenario 1: N no-op tasks submitted at once, 100 agents (concurrency 100), until all
// completed: overseer against p-queue, a bare-XState floor and the pattern's example
// scheduler (one task per scheduling tick).
import { bareXState } from '../baselines/bare-xstate.js';
import { pQueue } from '../baselines/p-queue.js';
import { tickScheduler } from '../baselines/tick-scheduler.js';
import { profiled } from '../cpu-profile.js';
import { type Row, row, type Sample, type ScenarioResult, sample, timed } from '../harness.js';
import { overseerRunAll } from '../overseer-runner.js';

export async function throughput(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 10_000 : 50_000;
  const runs = { warmup: 1, runs: quick ? 3 : 5 };
  const perSecond = (ms: () => Promise<number>) =>
    sample(async () => (n * 1_000) / (await ms()), runs);
  const floor = await perSecond(() => timed(() => bareXState(n)));
  const ours = await profiled('throughput-overseer', () => perSecond(() => overseerRunAll(n, 100)));
  const peers: [string, Sample][] = [
    ['p-queue, concurrency 100', await perSecond(() => timed(() => pQueue(n, 100, false)))],
    [
      'p-queue, concurrency 100, priorities',
      await perSecond(() => timed(() => pQueue(n, 100, true))),
    ],
    [
      'pattern example: one task per tick',
      await perSecond(() => timed(() => tickScheduler(n, 100))),
    ],
  ];
  const rows: Row[] = [row('bare XState task machine (floor)', floor, 'tasks/s')];
  for (const [label, s] of [['overseer (100 agents)', ours] as const, ...peers])
    rows.push(row(label, s, 'tasks/s', { ratio: s.median / floor.median, baseline: 'floor' }));
  rows.push(row('overseer per task', 1e6 / ours.median, 'µs'));
  for (const [label, s] of peers)
    rows.push(row(`overseer / ${label}`, ours.median / s.median, 'ratio'));
  return {
    scenario: 'throughput',
    rows,
    notes: [`${n} no-op tasks per run, median of ${runs.runs} runs after ${runs.warmup} warm-up`],
  };
}
