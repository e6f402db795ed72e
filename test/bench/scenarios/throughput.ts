// Scenario 1: N no-op tasks submitted at once, 100 agents (concurrency 100), until all
// completed: overseer against p-queue, a bare-XState floor and the pattern's tick scheduler.
import { bareXState } from '../baselines/bare-xstate.js';
import { pQueue } from '../baselines/p-queue.js';
import { tickScheduler } from '../baselines/tick-scheduler.js';
import { type Row, row, type ScenarioResult, sample, timed } from '../harness.js';
import { overseerRunAll } from '../overseer-runner.js';

export async function throughput(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 10_000 : 50_000;
  const runs = { warmup: 1, runs: quick ? 3 : 5 };
  const perSecond = async (ms: () => Promise<number>) =>
    sample(async () => (n * 1_000) / (await ms()), runs);
  const floor = await perSecond(() => timed(() => bareXState(n)));
  const measured: [string, Awaited<ReturnType<typeof perSecond>>][] = [
    ['overseer (100 agents)', await perSecond(() => overseerRunAll(n, 100))],
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
  for (const [label, s] of measured)
    rows.push(row(label, s, 'tasks/s', { ratio: s.median / floor.median, baseline: 'floor' }));
  const ours = measured[0]?.[1].median ?? Number.NaN;
  for (const [label, s] of measured.slice(1, 3))
    rows.push(row(`overseer / ${label}`, ours / s.median, 'ratio'));
  return {
    scenario: 'throughput',
    rows,
    notes: [`${n} no-op tasks per run, median of ${runs.runs} runs after ${runs.warmup} warm-up`],
  };
}
