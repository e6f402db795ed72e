// Tries one system of the distributed row by hand and prints its figures:
//   npx tsx test/bench/distributed/try.ts <system> <n> [slots]
// system: one of the keys of SYSTEMS; slots: overseer's slots per node (default 50). Each
// run gets a fresh database on the PostgreSQL server at OVERSEER_PG_URL (default: the local
// server, trust auth), dropped afterwards.
// It also prints the CPU this process spent per job: for overseer, the supervisor's work
// (with the producer's), steadier than jobs/s on a busy machine for comparing two versions;
// the whole machine's CPU per job from the first submit on; and for overseer its split
// between the supervisor's process, the nodes and the database's backends.
// claim-ceiling is no system of the row but a probe of a design not built, nodes claiming
// tasks from overseer's table themselves (claim-ceiling.ts): by hand only.
import { runDefault, runDurable } from './bullmq.js';
import { run as claimCeiling } from './claim-ceiling.js';
import type { BenchEnv, Figures } from './contract.js';
import { onFreshDatabase } from './fresh-database.js';
import { run as graphileWorker } from './graphile-worker.js';
import { run as overseer } from './overseer.js';
import { run as pgBoss, runPolling as pgBossPolling } from './pg-boss.js';

const SYSTEMS: Record<string, (n: number, env: BenchEnv) => Promise<Figures>> = {
  overseer,
  'graphile-worker': graphileWorker,
  'pg-boss': pgBoss,
  'pg-boss-polling': pgBossPolling,
  'bullmq-durable': runDurable,
  'bullmq-default': runDefault,
  'claim-ceiling': claimCeiling,
};

const [system = '', nText = '5000', slotsText] = process.argv.slice(2);
const runSystem = SYSTEMS[system];
const n = Number(nText);
const slots = slotsText === undefined ? undefined : Number(slotsText);
if (!runSystem || !Number.isInteger(n) || n < 1 || (slots !== undefined && !(slots >= 1))) {
  process.stderr.write(`usage: try.ts <${Object.keys(SYSTEMS).join('|')}> <n> [slots]\n`);
  process.exit(2);
}
const started = performance.now();
const cpu = process.cpuUsage();
const figures = await onFreshDatabase((pgUrl) =>
  runSystem(n, { pgUrl, ...(slots === undefined ? {} : { concurrencyPerWorker: slots }) }),
);
const wallS = (performance.now() - started) / 1_000;
const used = process.cpuUsage(cpu);
const cpuPerJob = (used.user + used.system) / figures.n;
process.stdout.write(
  `${system} n=${figures.n}: ${figures.jobsPerSec.toFixed(0)} jobs/s, submit-to-start ` +
    `p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms (whole run ${wallS.toFixed(1)} s; this process ${cpuPerJob.toFixed(0)} µs CPU a job)\n`,
);
const { machineCpuUsPerJob: machine, split } = figures;
if (machine !== undefined)
  process.stdout.write(
    `  machine CPU from the first submit: ${machine.toFixed(0)} µs a job` +
      (split
        ? ` (supervisor process ${split.supervisor.toFixed(0)}, nodes ${split.nodes.toFixed(0)}, ` +
          `PostgreSQL ${split.database.toFixed(0)})`
        : '') +
      '\n',
  );
