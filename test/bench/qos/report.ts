// The QoS benchmark's results as the bench's rows (the headline figures and the targets)
// and as a markdown document with every figure, for docs/qos-bench.md.
import type { Row } from '../harness.js';
import { CLASSES } from './classes.js';
import type { RunFigures } from './figures.js';
import { RECOVERED_DELAY_MS, RECOVERY_WINDOW_MS } from './recovery.js';
import type { Verdict } from './targets.js';

export interface RunResult {
  readonly load: number;
  readonly policy: string;
  /** The run with one agent degraded from a third of the duration on. */
  readonly degraded: boolean;
  readonly figures: RunFigures;
  readonly wallMs: number;
  /** `agent.unresponsive` and `agent.failed` events seen (heartbeats on the simulated clock). */
  readonly agentTrouble: number;
  /** Times an agent's circuit breaker opened (adaptive concurrency only). */
  readonly breakerOpens: number;
}

const label = (r: RunResult) => `${r.load}x${r.degraded ? ', degraded agent' : ''}, ${r.policy}`;

export function rowsOf(results: readonly RunResult[], targets: readonly Verdict[]): Row[] {
  const rows: Row[] = [];
  for (const r of results) {
    const f = r.figures;
    for (const c of CLASSES)
      rows.push({
        label: `${label(r)}: ${c.name} on time`,
        value: f.byClass[c.name].attainment,
        unit: 'share',
      });
    rows.push({ label: `${label(r)}: goodput`, value: f.all.goodput, unit: 'x capacity' });
    rows.push({ label: `${label(r)}: wasted work`, value: f.wasted, unit: 'of busy' });
  }
  for (const t of targets)
    rows.push({
      label: `target ${t.target}`,
      value: t.measured,
      unit: t.unit,
      mark: t.pass ? 'PASS' : 'MISS',
    });
  return rows;
}

const share = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const seconds = (ms: number) => (Number.isNaN(ms) ? 'n/a' : (ms / 1_000).toFixed(1));
const perClass = (
  f: RunFigures,
  pick: (c: RunFigures['all']) => number,
  show: (x: number) => string,
) => CLASSES.map((c) => show(pick(f.byClass[c.name]))).join(' / ');

function table(results: readonly RunResult[]): string[] {
  const lines = [
    '| load | policy | on time (i / s / b) | rejected (i / s / b) | p99 submit→end, s (i / s / b) | batches on time (i / s / b) | goodput | agents busy | wasted | recovery, s (first window delay, s) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const f = r.figures;
    const rec = f.recovery;
    const recovery = Number.isNaN(rec.ms)
      ? 'n/a'
      : `${rec.unrecovered ? '> ' : ''}${seconds(rec.ms)} (${seconds(rec.firstWindowDelayMs)})`;
    lines.push(
      `| ${r.load}x${r.degraded ? ' degraded' : ''} | ${r.policy} | ${perClass(f, (c) => c.attainment, share)} | ${perClass(f, (c) => c.rejected, share)} | ${perClass(f, (c) => c.p99Ms, seconds)} | ${perClass(f, (c) => c.batchAttainment, share)} | ${f.all.goodput.toFixed(3)} | ${share(f.utilization)} | ${share(f.wasted)} | ${recovery} |`,
    );
  }
  return lines;
}

function targetTable(targets: readonly Verdict[]): string[] {
  const show = (t: Verdict) =>
    t.unit === 'points'
      ? `${t.measured >= 0 ? '+' : ''}${t.measured.toFixed(1)} points`
      : t.unit === 'share'
        ? share(t.measured)
        : `${t.measured.toFixed(3)}x`;
  return [
    '| target (overseer-qos) | measured | |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${show(t)} | ${t.pass ? 'PASS' : 'MISS'} |`),
  ];
}

export interface Setting {
  readonly minutes: number;
  readonly capacityPerS: number;
  readonly meanServiceMs: number;
  readonly policies: readonly { readonly name: string; readonly description: string }[];
  readonly degradation: string;
}

export function markdownOf(
  setting: Setting,
  healthy: readonly RunResult[],
  degraded: readonly RunResult[],
  targets: readonly Verdict[],
): string {
  return [
    '<!-- written by `npm run bench -- --only qos` (test/bench/scenarios/qos.ts): do not edit -->',
    '',
    `Each run: ${setting.minutes} simulated minutes of arrivals, then until every task has ended; 8 agents of one slot, capacity ${setting.capacityPerS.toFixed(2)} tasks/s (mean service ${setting.meanServiceMs.toFixed(0)} ms). i / s / b: interactive (SLO 3 s) / standard (20 s) / batch (120 s).`,
    '',
    ...setting.policies.map((p) => `- \`${p.name}\`: ${p.description}`),
    '',
    ...table(healthy),
    '',
    `With a degraded agent (${setting.degradation}); the first row is overseer-qos+adaptive on healthy agents (plain overseer-qos healthy is above):`,
    '',
    ...table(degraded),
    '',
    ...targetTable(targets),
    '',
    '- on time: completed within the class SLO of submit, over all submitted (rejected, expired, failed and late tasks are misses); rejected: refused at submit (Overloaded, QueueFull).',
    '- p99 submit→end: of accepted tasks, to completion or failure (a task past its deadline fails there).',
    '- batches on time: batches whose every task was on time.',
    '- goodput: on-time tasks finished within the arrival period, per second, over the capacity.',
    "- agents busy: agent time spent on attempts within the arrival period, over the agents' time in it.",
    '- wasted: agent time spent on attempts of tasks that were not on time, over all agent time spent (measured in the handlers).',
    `- recovery: the off-phases after bursts, cut into ${RECOVERY_WINDOW_MS / 1_000} s windows by submit time and laid over one another; recovered at the start of the first window from which every later one has a mean interactive queueing delay (submit to first start, at most the SLO; never started: the SLO) within ${RECOVERED_DELAY_MS / 1_000} s. A ">" marks a class never back within the bound before the next burst. In brackets, that mean delay in the first window after a burst. The last burst of a run has no off-phase and does not count.`,
    '',
  ].join('\n');
}
