// Scenario 1: N no-op tasks submitted at once, until all completed, at a concurrency of
// 100 in two shapes: 100 one-slot agents, and one agent of 100 slots. overseer against
// p-queue, BullMQ (one worker, on a Redis of its own), a bare-XState floor and the
// pattern's example scheduler (one task per scheduling tick); and overseer with an
// inspector attached against without.
import { bareXState } from '../baselines/bare-xstate.js';
import { bullmqRunAll } from '../baselines/bullmq.js';
import { pQueue } from '../baselines/p-queue.js';
import { type BenchRedis, benchRedis } from '../baselines/redis-server.js';
import { tickScheduler } from '../baselines/tick-scheduler.js';
import { profiled } from '../cpu-profile.js';
import { type Row, row, type Sample, type ScenarioResult, sample, timed } from '../harness.js';
import { overseerRunAll } from '../overseer-runner.js';

type Runs = { readonly warmup: number; readonly runs: number };

const BULLMQ_LABEL = 'BullMQ, 1 worker, concurrency 100';
const TARGETS = { oneAgentVsHundred: 0.8, oneAgentVsBullmq: 4, inspectedVsNot: 0.75 };

const verdict = (ratio: number, target: number, why = '') =>
  `${ratio >= target ? 'pass' : 'FAIL'}: target ≥ ${target}${why}`;

/**
 * BullMQ's tasks/s, each run `n` jobs on the bench Redis (started for it and stopped
 * after), with a note on the Redis used; or, when there is none, only a note saying why.
 */
async function bullmqThroughput(
  n: number,
  runs: Runs,
): Promise<{ readonly sample?: Sample; readonly note: string }> {
  let redis: BenchRedis;
  try {
    redis = await benchRedis();
  } catch (error) {
    return { note: `BullMQ skipped: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    const perSecond = await sample(
      async () => (n * 1_000) / (await bullmqRunAll(n, redis.url, 100)),
      runs,
    );
    return {
      sample: perSecond,
      note: `BullMQ: ${n} jobs per run (tasks/s compare across the different N), on ${redis.description}; Redis works in a process of its own, beside this one`,
    };
  } finally {
    await redis.close();
  }
}

export async function throughput(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 10_000 : 50_000;
  const bullmqN = quick ? 5_000 : 20_000;
  const runs: Runs = { warmup: 1, runs: quick ? 3 : 5 };
  const perSecond = (ms: () => Promise<number>) =>
    sample(async () => (n * 1_000) / (await ms()), runs);
  const floor = await perSecond(() => timed(() => bareXState(n)));
  const ours = await profiled('throughput-overseer', () => perSecond(() => overseerRunAll(n, 100)));
  const oneAgent = await perSecond(() => overseerRunAll(n, { replicas: 1, concurrency: 100 }));
  const inspected = await perSecond(() => overseerRunAll(n, 100, { inspect: () => {} }));
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
  const bullmq = await bullmqThroughput(bullmqN, runs);
  if (bullmq.sample) peers.push([BULLMQ_LABEL, bullmq.sample]);

  const rows: Row[] = [row('bare XState task machine (floor)', floor, 'tasks/s')];
  const measured: [string, Sample][] = [
    ['overseer (100 agents)', ours],
    ['overseer (1 agent x 100 slots)', oneAgent],
    ['overseer (100 agents), inspector attached', inspected],
    ...peers,
  ];
  for (const [label, s] of measured)
    rows.push(row(label, s, 'tasks/s', { ratio: s.median / floor.median, baseline: 'floor' }));
  rows.push(row('overseer per task', 1e6 / ours.median, 'µs'));
  for (const [label, s] of peers)
    rows.push(row(`overseer / ${label}`, ours.median / s.median, 'ratio'));
  const oneVsHundred = oneAgent.median / ours.median;
  rows.push(
    row('overseer 1x100 / overseer 100x1', oneVsHundred, 'ratio', {
      mark: verdict(oneVsHundred, TARGETS.oneAgentVsHundred, ' (within 1.25x)'),
    }),
  );
  if (bullmq.sample) {
    const oneVsBullmq = oneAgent.median / bullmq.sample.median;
    rows.push(
      row('overseer 1x100 / BullMQ', oneVsBullmq, 'ratio', {
        mark: verdict(oneVsBullmq, TARGETS.oneAgentVsBullmq),
      }),
    );
  }
  const inspectedVsNot = inspected.median / ours.median;
  rows.push(
    row('inspector attached / without', inspectedVsNot, 'ratio', {
      mark: verdict(inspectedVsNot, TARGETS.inspectedVsNot),
    }),
  );
  return {
    scenario: 'throughput',
    rows,
    notes: [
      `${n} no-op tasks per run, median of ${runs.runs} runs after ${runs.warmup} warm-up`,
      '1x100: one agent declared with concurrency 100; p-queue and BullMQ run at concurrency 100 either way, so their rows serve both shapes',
      'inspector attached: createSystem({ inspect: () => {} }), 100 agents',
      bullmq.note,
    ],
  };
}
