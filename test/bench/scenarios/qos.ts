// Scenario 10: QoS under load. The real system, on a simulated clock, runs the same seeded
// online work (bursty Poisson batches of three SLO classes, heavy-tailed service times) at
// 0.8x to 3x of its capacity under three policies: priority-FIFO (today's default),
// global earliest-deadline-first, and overseer's QoS classes; then at 1.5x with one agent
// degrading. Reports SLO attainment, goodput, wasted work and recovery against issue 14's
// targets. The full run writes docs/qos-bench.svg and docs/qos-bench.md (a quick one does
// not, unless OVERSEER_BENCH_QOS_WRITE=1); OVERSEER_BENCH_QOS_MINUTES sets the duration.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from '../harness.js';
import { figuresOf, type RunFigures } from '../qos/figures.js';
import { DEFAULT_SWITCHES, overseerQos, type Policy, policies } from '../qos/policies.js';
import { markdownOf, type RunResult, rowsOf } from '../qos/report.js';
import { type Degradation, runPolicy } from '../qos/run-policy.js';
import { svgPlot } from '../qos/svg-plot.js';
import { verdicts } from '../qos/targets.js';
import {
  AGENTS,
  CAPACITY_PER_S,
  drawWorkload,
  SERVICE_MEAN_MS,
  type Workload,
} from '../qos/workload.js';

const LOADS = [0.8, 1, 1.5, 2, 3];
const DEGRADED_LOAD = 1.5;
const SEED = 14;

const docPath = (name: string) => fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url));

async function run(
  workload: Workload,
  policy: Policy,
  degradation?: Degradation,
): Promise<RunResult> {
  const record = await runPolicy(workload, policy, {
    seed: SEED,
    ...(degradation ? { degradation } : {}),
  });
  if (record.unexpected.length > 0)
    throw new Error(`${policy.name}: submit failed: ${record.unexpected[0]}`);
  process.stderr.write(
    `qos: ${workload.load}x${degradation ? ' degraded' : ''} ${policy.name}: ${workload.tasks} tasks, ${(record.wallMs / 1_000).toFixed(1)} s\n`,
  );
  return {
    load: workload.load,
    policy: policy.name,
    degraded: degradation !== undefined,
    figures: figuresOf(record),
    wallMs: record.wallMs,
    agentTrouble: record.agentTrouble,
    breakerOpens: record.breakerOpens,
  };
}

function plotOf(results: readonly RunResult[], minutes: number): string {
  const names = [...new Set(results.map((r) => r.policy))];
  const series = (pick: (f: RunFigures) => number) =>
    names.map((name) => ({
      name,
      points: results
        .filter((r) => r.policy === name)
        .map((r) => [r.load, pick(r.figures)] as const),
    }));
  const interactive = results.map((r) => r.figures.byClass.interactive.attainment);
  const goodputs = results.map((r) => r.figures.all.goodput);
  const floor = (xs: number[], cap: number) => Math.min(cap, Math.floor(Math.min(...xs) * 10) / 10);
  return svgPlot({
    title: `overseer QoS benchmark: 8 agents, bursty online batches, ${minutes} simulated min per point`,
    xLabel: 'offered load (x capacity)',
    xTicks: LOADS,
    xRange: [0.6, 3.2],
    panels: [
      {
        title: 'interactive tasks on time (SLO 3 s)',
        yLabel: 'share of submitted, on time',
        yRange: [floor(interactive, 0.5), 1],
        series: series((f) => f.byClass.interactive.attainment),
        targets: [
          [2, 0.95],
          [3, 0.9],
        ],
      },
      {
        title: 'goodput (tasks on time per second)',
        yLabel: 'x capacity',
        yRange: [floor(goodputs, 0.6), Math.max(1.2, Math.ceil(Math.max(...goodputs) * 10) / 10)],
        series: series((f) => f.all.goodput),
        references: [{ y: 1, label: 'capacity' }],
        targets: [
          [2, 1],
          [3, 1],
        ],
      },
    ],
  });
}

export async function qos(quick: boolean): Promise<ScenarioResult> {
  const started = performance.now();
  const minutes = Number(process.env.OVERSEER_BENCH_QOS_MINUTES) || (quick ? 3 : 20);
  const write = process.env.OVERSEER_BENCH_QOS_WRITE
    ? process.env.OVERSEER_BENCH_QOS_WRITE === '1'
    : !quick;
  const durationMs = minutes * 60_000;
  const list = policies();
  const healthy: RunResult[] = [];
  const workloads = new Map<number, Workload>();
  for (const [i, load] of LOADS.entries()) {
    const workload = drawWorkload({ load, durationMs, seed: SEED * 1_000 + i });
    workloads.set(load, workload);
    for (const policy of list) healthy.push(await run(workload, policy));
  }
  const degradation: Degradation = {
    agentId: `worker-${AGENTS}`,
    fromMs: durationMs / 3,
    slowdown: 5,
    failShare: 0.3,
  };
  const degraded: RunResult[] = [];
  const degradedWork = workloads.get(DEGRADED_LOAD) as Workload;
  const adaptive = overseerQos({ ...DEFAULT_SWITCHES, adaptive: true });
  for (const policy of [...list, adaptive])
    degraded.push(await run(degradedWork, policy, degradation));
  const adaptiveHealthy = await run(degradedWork, adaptive);

  const byLoad = (policy: string) =>
    new Map(healthy.filter((r) => r.policy === policy).map((r) => [r.load, r.figures]));
  const of = (rs: RunResult[], name: string) => rs.find((r) => r.policy === name)?.figures;
  const healthyQos = of(
    healthy.filter((r) => r.load === DEGRADED_LOAD),
    'overseer-qos',
  );
  const degradedQos = of(degraded, 'overseer-qos');
  const degradedAdaptive = of(degraded, adaptive.name);
  const targets = verdicts({
    qos: byLoad('overseer-qos'),
    priorityFifo: byLoad('priority-fifo'),
    degraded: [
      ...(healthyQos && degradedQos
        ? [{ load: DEGRADED_LOAD, policy: 'overseer-qos', healthy: healthyQos, run: degradedQos }]
        : []),
      ...(degradedAdaptive
        ? [
            {
              load: DEGRADED_LOAD,
              policy: adaptive.name,
              healthy: adaptiveHealthy.figures,
              run: degradedAdaptive,
            },
          ]
        : []),
    ],
  });
  const degradationText = `${degradation.agentId} of ${AGENTS} from ${Number((minutes / 3).toFixed(1))} min on: service times ${degradation.slowdown}x, ${degradation.failShare * 100}% of its attempts fail (retryable)`;
  const markdown = markdownOf(
    {
      minutes,
      capacityPerS: CAPACITY_PER_S,
      meanServiceMs: SERVICE_MEAN_MS,
      policies: [...list, adaptive],
      degradation: degradationText,
    },
    healthy,
    [adaptiveHealthy, ...degraded],
    targets,
  );
  process.stderr.write(`\n${markdown}\n`);
  if (write) {
    writeFileSync(docPath('qos-bench.svg'), plotOf(healthy, minutes));
    writeFileSync(docPath('qos-bench.md'), markdown);
  }
  const all = [...healthy, adaptiveHealthy, ...degraded];
  const simulatedS = all.reduce((s, r) => s + r.wallMs, 0) / 1_000;
  const trouble = all.reduce((s, r) => s + r.agentTrouble, 0);
  const opens = degraded.find((r) => r.policy === adaptive.name)?.breakerOpens ?? 0;
  return {
    scenario: 'qos',
    rows: rowsOf(all, targets),
    notes: [
      `${minutes} simulated minutes of arrivals per run (then until every task ended), 8 agents of one slot, capacity ${CAPACITY_PER_S.toFixed(2)} tasks/s; seed ${SEED}`,
      'on time: share of submitted tasks completed within their class SLO (rejections are misses); goodput: on-time tasks per second over the capacity; wasted: agent time on tasks not on time over all agent time',
      `degraded agent: ${degradationText}`,
      `agents declared unresponsive or failed over all runs: ${trouble} (auto heartbeats on the simulated clock)`,
      `${adaptive.name}, degraded agent: circuit breakers opened ${opens} times (one-slot agents: the adaptive limit has no room, only the breaker can act)`,
      'the full table (rejections, p99, batches, recovery) is printed on stderr above',
      write
        ? 'wrote docs/qos-bench.svg and docs/qos-bench.md'
        : 'docs/qos-bench.svg and .md not rewritten (a quick run, or OVERSEER_BENCH_QOS_WRITE=0)',
      `simulation took ${simulatedS.toFixed(1)} s of ${((performance.now() - started) / 1_000).toFixed(1)} s`,
    ],
  };
}
