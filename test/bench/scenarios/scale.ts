// Scenario 2: cost per task with 1k to 1M tasks queued, for overseer and for p-queue with
// priorities. A pass submits all N before anything runs, then runs the queue to
// completion; the curve is (queueing + running) / N. Queueing alone (submit time / N) and
// the first K tasks' run once N are queued show where the cost goes. A pass stops at a
// time cap and reports the cost over what it got to, marked, instead of hanging.
import { pQueueQueueThenRun } from '../baselines/p-queue.js';
import { profiled } from '../cpu-profile.js';
import { type Row, row, type Sample, type ScenarioResult, summarize } from '../harness.js';
import type { QueueThenRun } from '../milestones.js';
import { overseerQueueThenRun } from '../overseer-runner.js';

const K = 1_000;
const WARM_TASKS = 20_000;
interface Caps {
  readonly fillMs: number;
  readonly runMs: number;
}
type Pass = (n: number, caps: Caps) => Promise<QueueThenRun>;
const PASSES: readonly (readonly [string, Pass])[] = [
  ['overseer', (n, caps) => overseerQueueThenRun(n, K, 100, caps)],
  ['p-queue with priorities', (n, caps) => pQueueQueueThenRun(n, K, 100, caps)],
];

interface Point {
  readonly n: number;
  readonly total: Sample;
  readonly queue: Sample;
  readonly first: Sample;
  /** The system's own start, left out of the run (overseer only). */
  readonly start: Sample | undefined;
  /** What the caps cut short, per part, for the rows' marks. */
  readonly cut: { readonly total?: string; readonly queue?: string; readonly first?: string };
}

const perTask = (ms: number | undefined, tasks: number) =>
  ms === undefined || tasks === 0 ? Number.NaN : (ms * 1_000) / tasks;
const count = (n: number) => n.toLocaleString('en');

async function measure(pass: Pass, n: number, caps: Caps, warm: boolean, runs: number) {
  // A warm process: the JIT has compiled the path and the heap has grown to its working
  // size (passes of 1,000 tasks alone leave the young generation small, collected often).
  if (warm) {
    await pass(WARM_TASKS, caps);
    await pass(n, caps);
  }
  const passes: QueueThenRun[] = [];
  for (let i = 0; i < runs; i++) passes.push(await pass(n, caps));
  const fillCut = passes.find((p) => p.queued < n);
  const runCut = passes.find((p) => p.completed < p.queued);
  const queueMark = fillCut && `queueing cut at the cap: ${count(fillCut.queued)} queued`;
  const runMark = runCut && `running cut at the cap: ${count(runCut.completed)} completed`;
  const point: Point = {
    n,
    total: summarize(
      passes.map(
        (p) => perTask(p.fillMs, p.queued) + perTask(p.runMs - (p.startMs ?? 0), p.completed),
      ),
    ),
    queue: summarize(passes.map((p) => perTask(p.fillMs, p.queued))),
    first: summarize(
      passes.map((p) =>
        perTask(
          p.firstMs === undefined ? undefined : p.firstMs - (p.startMs ?? 0),
          Math.min(K, p.queued),
        ),
      ),
    ),
    start: passes.some((p) => p.startMs !== undefined)
      ? summarize(passes.map((p) => p.startMs ?? 0))
      : undefined,
    cut: {
      ...(queueMark || runMark ? { total: [queueMark, runMark].filter(Boolean).join('; ') } : {}),
      ...(queueMark ? { queue: queueMark } : {}),
      ...(passes.some((p) => p.firstMs === undefined) ? { first: 'cut at the cap' } : {}),
    },
  };
  return point;
}

const spreadOf = (curve: readonly Point[], pick: (p: Point) => Sample) => {
  const values = curve.map((p) => pick(p).median).filter((v) => Number.isFinite(v));
  return Math.max(...values) / Math.min(...values);
};

export async function scale(quick: boolean): Promise<ScenarioResult> {
  const sizes = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  const caps = quick ? { fillMs: 3_000, runMs: 4_000 } : { fillMs: 60_000, runMs: 120_000 };
  const curves = new Map<string, Point[]>(PASSES.map(([name]) => [name, []]));
  for (const n of sizes) {
    const runs = n <= 10_000 ? (quick ? 3 : 5) : n <= 100_000 && !quick ? 3 : 1;
    for (const [name, pass] of PASSES) {
      // Warm-up before the first size: a pass of 20,000 tasks, then one of its own size.
      const point = () => measure(pass, n, caps, n === sizes[0], runs);
      curves
        .get(name)
        ?.push(await (name === 'overseer' ? profiled(`scale-overseer-${n}`, point) : point()));
    }
  }
  const theirs = curves.get('p-queue with priorities') ?? [];
  const rows: Row[] = [];
  const parts = [
    ['queue + run to completion', 'total'],
    ['queueing', 'queue'],
    [`running the first ${count(K)}`, 'first'],
  ] as const;
  for (const [part, key] of parts) {
    const pick = (p: Point) => p[key];
    for (const [name, curve] of curves) {
      curve.forEach((p, i) => {
        const base = name === 'overseer' ? theirs[i] : undefined;
        const ratio = base && { ratio: pick(p).median / pick(base).median, baseline: 'p-queue' };
        rows.push(
          row(`${name}, ${count(p.n)} queued: ${part}`, pick(p), 'µs/task', {
            ...ratio,
            ...(p.cut[key] ? { mark: p.cut[key] } : {}),
          }),
        );
      });
      rows.push(row(`${name}: ${part}, largest / smallest`, spreadOf(curve, pick), 'ratio'));
    }
  }
  for (const p of curves.get('overseer') ?? [])
    if (p.start)
      rows.push(
        row(`overseer, ${count(p.n)} queued: system start (left out above)`, p.start, 'ms'),
      );
  const curveNote = (name: string, curve: readonly Point[]) =>
    `${name} µs/task: ${curve
      .map((p) => `${count(p.n)} ${p.total.median.toPrecision(3)}${p.cut.total ? '*' : ''}`)
      .join(' | ')}`;
  return {
    scenario: 'scale',
    rows,
    notes: [
      ...[...curves].map(([name, curve]) => curveNote(name, curve)),
      `* cut at the cap (queueing ${caps.fillMs / 1_000} s, running ${caps.runMs / 1_000} s): cost over the tasks queued and completed by then`,
      '100 agents / concurrency 100; priorities 0..9; run cost from start, once all are queued',
      "overseer's run leaves out the start of the system itself (supervision tree, 100 agents online), timed on an empty system of the same shape before each pass: a fixed cost, not a task's",
    ],
  };
}
