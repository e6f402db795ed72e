// Scenario 2: cost per task with 1k to 1M tasks queued: the queue is filled first, then
// the time to run the first k of them is measured, for overseer and p-queue (priorities).
import { pQueueFirst } from '../baselines/p-queue.js';
import { type Row, row, type ScenarioResult, sample } from '../harness.js';
import { overseerRunFirst } from '../overseer-runner.js';

export async function scale(quick: boolean): Promise<ScenarioResult> {
  const sizes = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  const k = 1_000;
  const runs = { warmup: 1, runs: quick ? 3 : 5 };
  const rows: Row[] = [];
  const curves: Record<string, number[]> = { overseer: [], 'p-queue': [] };
  for (const n of sizes) {
    const ours = await sample(async () => ((await overseerRunFirst(n, k, 100)) * 1_000) / k, runs);
    const theirs = await sample(async () => ((await pQueueFirst(n, k, 100)) * 1_000) / k, runs);
    curves.overseer?.push(ours.median);
    curves['p-queue']?.push(theirs.median);
    rows.push(row(`overseer, ${n.toLocaleString('en')} queued`, ours, 'µs/task'));
    rows.push(row(`p-queue with priorities, ${n.toLocaleString('en')} queued`, theirs, 'µs/task'));
  }
  for (const [name, curve] of Object.entries(curves)) {
    const first = curve[0] ?? Number.NaN;
    rows.push(
      row(
        `${name}: cost at largest / at smallest queue`,
        (curve.at(-1) ?? Number.NaN) / first,
        'ratio',
      ),
    );
  }
  return {
    scenario: 'scale',
    rows,
    notes: [`cost of running the first ${k} tasks with the queue already holding N (100 agents)`],
  };
}
