// Scenario 2: cost per task with 1k to 1M tasks queued, for overseer and for p-queue with
// priorities: the cost of queueing (fill time / N) and of running (the first k tasks
// once N are queued), each a median over runs.
import { pQueueFirst } from '../baselines/p-queue.js';
import { type Row, row, type ScenarioResult, sample } from '../harness.js';
import { overseerRunFirst } from '../overseer-runner.js';

const K = 1_000;
const CAP_MS = 60_000;

export async function scale(quick: boolean): Promise<ScenarioResult> {
  const sizes = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  const rows: Row[] = [];
  const curves: Record<string, { queue: number[]; run: number[] }> = {
    overseer: { queue: [], run: [] },
    'p-queue': { queue: [], run: [] },
  };
  const notes = [`run cost: the first ${K} tasks once N are queued, 100 agents / concurrency 100`];
  for (const n of sizes) {
    const runs = n >= 1_000_000 ? { warmup: 0, runs: 3 } : { warmup: 1, runs: quick ? 3 : 5 };
    const size = n.toLocaleString('en');
    const ours = { fill: [] as number[], run: [] as number[] };
    const fill = await sample(async () => {
      const r = await overseerRunFirst(n, K, 100);
      ours.run.push((r.runMs * 1_000) / K);
      return (r.fillMs * 1_000) / n;
    }, runs);
    ours.run.splice(0, runs.warmup); // the warm-up's figure
    const run = await sample(() => ours.run.shift() ?? Number.NaN, {
      warmup: 0,
      runs: ours.run.length,
    });
    rows.push(row(`overseer: queue, ${size} queued`, fill, 'µs/task'));
    rows.push(row(`overseer: run, ${size} queued`, run, 'µs/task'));
    curves.overseer?.queue.push(fill.median);
    curves.overseer?.run.push(run.median);

    const theirs = { run: [] as number[] };
    const theirFill = await sample(
      async () => {
        const r = await pQueueFirst(n, K, 100, CAP_MS);
        if (r.fillMs === undefined || r.runMs === undefined) return Number.NaN;
        theirs.run.push((r.runMs * 1_000) / K);
        return (r.fillMs * 1_000) / n;
      },
      { warmup: runs.warmup, runs: n >= 1_000_000 ? 1 : runs.runs },
    );
    if (Number.isNaN(theirFill.median))
      notes.push(`p-queue did not finish queueing ${size} tasks within ${CAP_MS / 1_000} s`);
    theirs.run.splice(0, theirs.run.length > 1 ? runs.warmup : 0);
    const theirRun = await sample(() => theirs.run.shift() ?? Number.NaN, {
      warmup: 0,
      runs: Math.max(1, theirs.run.length),
    });
    rows.push(row(`p-queue with priorities: queue, ${size} queued`, theirFill, 'µs/task'));
    rows.push(row(`p-queue with priorities: run, ${size} queued`, theirRun, 'µs/task'));
    curves['p-queue']?.queue.push(theirFill.median);
    curves['p-queue']?.run.push(theirRun.median);
  }
  for (const [name, curve] of Object.entries(curves)) {
    for (const [what, values] of Object.entries(curve)) {
      const first = values[0] ?? Number.NaN;
      const last = values.at(-1) ?? Number.NaN;
      rows.push(row(`${name}: ${what} cost, largest / smallest queue`, last / first, 'ratio'));
    }
  }
  return { scenario: 'scale', rows, notes };
}
