// Scenario 9 (soak): one system runs rounds of no-op tasks (8 agents x concurrency 16,
// `retainFinished: 1000`), with heapUsed after full collections before it starts, after
// each round and after stop(). Once the retained records are full (round 2 on), a round
// must leave nothing behind: growth to the last round and what stop() leaves are checked
// against targets (a per-task leak, e.g. XState's transition cache, shows as a slope).
import { heapRounds } from '../../support/heap-rounds.js';
import { type Row, row, type ScenarioResult, settledHeapUsed } from '../harness.js';

const MB = 2 ** 20;
const GROWTH_TARGET_MB = 1;
const AFTER_STOP_TARGET_MB = 2;

const verdict = (mb: number, targetMb: number) =>
  `${Math.abs(mb) <= targetMb ? 'pass' : 'FAIL'}: target within ${targetMb} MB`;

export async function soak(quick: boolean): Promise<ScenarioResult> {
  const rounds = quick ? 3 : 10;
  const tasks = quick ? 2_000 : 10_000;
  const { baseline, perRound, afterStop } = await heapRounds({
    rounds,
    tasks,
    retainFinished: 1_000,
    heapAfterGc: () => settledHeapUsed(),
  });
  const second = perRound[1] ?? Number.NaN;
  const last = perRound.at(-1) ?? Number.NaN;
  const growthMb = (last - second) / MB;
  const afterStopMb = (afterStop - baseline) / MB;
  const rows: Row[] = [
    row('heap before start (baseline)', baseline / MB, 'MB'),
    ...perRound.map((bytes, i) => row(`heap after round ${i + 1}`, bytes / MB, 'MB')),
    row('heap after stop()', afterStop / MB, 'MB'),
    row(`growth, round ${rounds} vs round 2`, growthMb, 'MB', {
      mark: verdict(growthMb, GROWTH_TARGET_MB),
    }),
    row('after stop() vs baseline', afterStopMb, 'MB', {
      mark: verdict(afterStopMb, AFTER_STOP_TARGET_MB),
    }),
    row(
      `kept per finished task, rounds 2..${rounds}`,
      (last - second) / ((rounds - 2) * tasks),
      'bytes',
    ),
  ];
  const failed =
    Math.abs(growthMb) > GROWTH_TARGET_MB || Math.abs(afterStopMb) > AFTER_STOP_TARGET_MB;
  return {
    scenario: 'soak',
    rows,
    notes: [
      `${rounds} rounds of ${tasks.toLocaleString('en')} no-op tasks on one system, 8 agents x concurrency 16, retainFinished 1,000`,
      'heapUsed after full GCs with a macrotask between them (node --expose-gc)',
      `targets: ${failed ? 'FAIL' : 'pass'}`,
    ],
  };
}
