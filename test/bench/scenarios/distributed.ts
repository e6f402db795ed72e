// Scenario 12: overseer as a cluster against the job queues teams run on the same engines.
// N no-op jobs, a producer in the bench process, 2 worker processes of concurrency 50, one
// machine: overseer on PostgreSQL (supervisor here, agents on 2 `overseer node` processes),
// graphile-worker and pg-boss on the same PostgreSQL server, BullMQ on a private Redis with
// `appendfsync always` (the durability of a PostgreSQL commit) and with no persistence.
// Each run gets a fresh database. test/bench/distributed/ has the drivers and what each
// measures.
//
// The machine's speed drifts by a third from one minute to the next (a shared host), more
// than the gaps the targets are about. So the full run goes in ROUNDS: each round runs
// overseer and the other fast systems one after another (a different one first each round),
// each ratio is taken within its round, and a row gives the median over the rounds with
// their spread. pg-boss, at a few hundred jobs/s, runs once (its ratio is against the
// median of overseer's rounds).
import { runDefault, runDurable } from '../distributed/bullmq.js';
import type { BenchEnv, Figures } from '../distributed/contract.js';
import { failoverTiming } from '../distributed/failover-timing.js';
import { onFreshDatabase } from '../distributed/fresh-database.js';
import { run as graphileWorker } from '../distributed/graphile-worker.js';
import { run as overseer } from '../distributed/overseer.js';
import { run as pgBoss } from '../distributed/pg-boss.js';
import { type Row, row, type ScenarioResult, summarize } from '../harness.js';

type RunSystem = (n: number, env: BenchEnv) => Promise<Figures>;

const OVERSEER = 'overseer (PostgreSQL)';
/** Run in every round, beside overseer. */
const FAST: readonly [string, RunSystem][] = [
  ['graphile-worker (PostgreSQL)', graphileWorker],
  ['BullMQ (Redis, appendfsync always)', runDurable],
  ['BullMQ (Redis, no persistence)', runDefault],
];
const SLOW: readonly [string, RunSystem][] = [['pg-boss 10 (PostgreSQL)', pgBoss]];

export async function distributed(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 5_000 : 50_000;
  const rounds = quick ? 1 : 3;
  const runs = new Map<string, Figures[]>();
  const once = async (name: string, run: RunSystem) => {
    const figures = await onFreshDatabase((pgUrl) => run(n, { pgUrl }));
    runs.set(name, [...(runs.get(name) ?? []), figures]);
  };
  const round: [string, RunSystem][] = [[OVERSEER, overseer], ...FAST];
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < round.length; k++) {
      const [name, run] = round[(r + k) % round.length] as [string, RunSystem];
      await once(name, run);
    }
  for (const [name, run] of SLOW) await once(name, run);

  const ours = runs.get(OVERSEER) ?? [];
  /** Overseer's figure ÷ the other's, round by round (a system run once: against our median). */
  const ratios = (theirs: readonly Figures[], figure: (f: Figures) => number | undefined) =>
    theirs.flatMap((f, i) => {
      const mine = theirs.length === ours.length ? ours[i] : undefined;
      const a = mine ? figure(mine) : summarize(ours.flatMap((o) => figure(o) ?? [])).median;
      const b = figure(f);
      return a === undefined || b === undefined ? [] : [a / b];
    });
  const rows: Row[] = [...runs].flatMap(([name, fs]) => {
    const vs = name === OVERSEER ? {} : { baseline: `overseer ÷ ${name}` };
    const perRound = (figure: (f: Figures) => number | undefined) => {
      const s = summarize(fs.flatMap((f) => figure(f) ?? []));
      return s.runs > 1 ? s : s.median;
    };
    const ratioOf = (figure: (f: Figures) => number | undefined) =>
      name === OVERSEER ? {} : { ratio: summarize(ratios(fs, figure)).median, ...vs };
    const cpu = (f: Figures) => f.machineCpuUsPerJob;
    return [
      row(
        `${name}: jobs/s`,
        perRound((f) => f.jobsPerSec),
        'jobs/s',
        {
          ...ratioOf((f) => f.jobsPerSec),
          ...spreadMark(name === OVERSEER ? [] : ratios(fs, (f) => f.jobsPerSec)),
        },
      ),
      row(
        `${name}: submit-to-start p50`,
        perRound((f) => f.p50Ms),
        'ms',
      ),
      row(
        `${name}: submit-to-start p99`,
        perRound((f) => f.p99Ms),
        'ms',
      ),
      ...(fs.every((f) => cpu(f) !== undefined)
        ? [row(`${name}: machine CPU per job`, perRound(cpu), 'µs', ratioOf(cpu))]
        : []),
      ...(fs.every((f) => f.split !== undefined)
        ? [
            row(
              `${name}: CPU per job in the supervisor's process`,
              perRound((f) => f.split?.supervisor),
              'µs',
            ),
            row(
              `${name}: CPU per job in the nodes`,
              perRound((f) => f.split?.nodes),
              'µs',
            ),
            row(
              `${name}: CPU per job in PostgreSQL`,
              perRound((f) => f.split?.database),
              'µs',
            ),
          ]
        : []),
    ];
  });
  const kills = quick ? 3 : 5;
  const failover = await onFreshDatabase((url) => failoverTiming(url, kills));
  rows.push(
    row('failover: leader SIGKILLed until the standby leads (lease 1 s)', failover.leads, 'ms'),
    row('failover: ... until it serves (rebuilt from the store)', failover.serves, 'ms'),
  );
  // The store as a leader's default retention (`retainFinished`) lets it grow: a takeover
  // reads every finished task it holds.
  const held = quick ? 10_000 : 100_000;
  const loaded = await onFreshDatabase((url) => failoverTiming(url, 3, held));
  rows.push(
    row(
      `failover with ${held.toLocaleString('en')} finished tasks in the store: until it serves`,
      loaded.serves,
      'ms',
    ),
  );
  return {
    scenario: 'distributed',
    rows,
    notes: [
      `${n} no-op jobs; 2 worker processes (overseer: 2 nodes) of concurrency 50; producer batches of 1,000`,
      `${rounds} round(s) of overseer, graphile-worker and both BullMQs, one after another, a different one first each round; pg-boss once; figures are medians over the rounds, a ratio the median of the rounds' ratios`,
      'ratio: overseer jobs/s ÷ the other system’s (above 1: overseer ahead); target ahead of graphile-worker, pg-boss and BullMQ at equal durability',
      'machine CPU per job: every process’s CPU from the first submit to the last completion (Linux /proc), over jobs; its ratio is overseer’s ÷ the other’s (above 1: overseer spends more)',
      'overseer’s nodes host the agent inline (`--runs inline`), as the other systems’ workers run their handlers; OVERSEER_BENCH_RUNS=thread measures it isolated',
      'pg-boss is 10.4 (11+ needs Node 22), with a wake-up on full batches; submit-to-start mostly measures the wait behind the submitted backlog',
    ],
  };
}

/** The rounds' ratios, when there were several, as a mark: `ratios 0.95 .. 1.12`. */
function spreadMark(ratios: readonly number[]): { mark?: string } {
  if (ratios.length < 2) return {};
  const s = summarize(ratios);
  return { mark: `ratios ${s.min.toFixed(2)} .. ${s.max.toFixed(2)} over ${s.runs} rounds` };
}
