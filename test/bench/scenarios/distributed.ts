// Scenario 12: overseer as a cluster against the job queues teams run on the same engines.
// N no-op jobs, a producer in the bench process, 2 worker processes of concurrency 50, one
// machine, one run: overseer on PostgreSQL (supervisor here, agents on 2 `overseer node`
// processes), graphile-worker and pg-boss on the same PostgreSQL server, BullMQ on a
// private Redis with `appendfsync always` (the durability of a PostgreSQL commit) and with
// no persistence. Each system gets a fresh database. test/bench/distributed/ has the
// drivers and what each measures; the ratios are against overseer's row.
import { runDefault, runDurable } from '../distributed/bullmq.js';
import type { BenchEnv, Figures } from '../distributed/contract.js';
import { failoverTiming } from '../distributed/failover-timing.js';
import { onFreshDatabase } from '../distributed/fresh-database.js';
import { run as graphileWorker } from '../distributed/graphile-worker.js';
import { run as overseer } from '../distributed/overseer.js';
import { run as pgBoss } from '../distributed/pg-boss.js';
import { type Row, row, type ScenarioResult } from '../harness.js';

export async function distributed(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 5_000 : 50_000;
  const systems: [string, (n: number, env: BenchEnv) => Promise<Figures>][] = [
    ['overseer (PostgreSQL)', overseer],
    ['graphile-worker (PostgreSQL)', graphileWorker],
    ['pg-boss 10 (PostgreSQL)', pgBoss],
    ['BullMQ (Redis, appendfsync always)', runDurable],
    ['BullMQ (Redis, no persistence)', runDefault],
  ];
  const figures: [string, Figures][] = [];
  for (const [name, run] of systems)
    figures.push([name, await onFreshDatabase((pgUrl) => run(n, { pgUrl }))]);
  const ours = figures[0]?.[1] as Figures;
  const rows: Row[] = figures.flatMap(([name, f]) => [
    row(`${name}: jobs/s`, f.jobsPerSec, 'jobs/s', {
      ...(f === ours
        ? {}
        : { ratio: ours.jobsPerSec / f.jobsPerSec, baseline: `overseer ÷ ${name}` }),
    }),
    row(`${name}: submit-to-start p50`, f.p50Ms, 'ms'),
    row(`${name}: submit-to-start p99`, f.p99Ms, 'ms'),
    ...(f.machineCpuUsPerJob === undefined
      ? []
      : [
          row(`${name}: machine CPU per job`, f.machineCpuUsPerJob, 'µs', {
            ...(f === ours || ours.machineCpuUsPerJob === undefined
              ? {}
              : {
                  ratio: ours.machineCpuUsPerJob / f.machineCpuUsPerJob,
                  baseline: `overseer ÷ ${name}`,
                }),
          }),
        ]),
    ...(f.split === undefined
      ? []
      : [
          row(`${name}: CPU per job in the supervisor's process`, f.split.supervisor, 'µs'),
          row(`${name}: CPU per job in the nodes`, f.split.nodes, 'µs'),
          row(`${name}: CPU per job in PostgreSQL`, f.split.database, 'µs'),
        ]),
  ]);
  const failover = await onFreshDatabase((url) => failoverTiming(url, quick ? 3 : 5));
  rows.push(row('failover: leader SIGKILLed until the standby leads (lease 1 s)', failover, 'ms'));
  return {
    scenario: 'distributed',
    rows,
    notes: [
      `${n} no-op jobs; 2 worker processes (overseer: 2 nodes) of concurrency 50; producer batches of 1,000`,
      'ratio: overseer jobs/s ÷ the other system’s (above 1: overseer ahead); target ahead of graphile-worker, pg-boss and BullMQ at equal durability',
      'machine CPU per job: every process’s CPU from the first submit to the last completion (Linux /proc), over jobs; its ratio is overseer’s ÷ the other’s (above 1: overseer spends more)',
      'overseer’s nodes host the agent inline (`--runs inline`), as the other systems’ workers run their handlers; OVERSEER_BENCH_RUNS=thread measures it isolated',
      'pg-boss is 10.4 (11+ needs Node 22), with a wake-up on full batches; submit-to-start mostly measures the wait behind the submitted backlog',
    ],
  };
}
