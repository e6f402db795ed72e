// `npm run bench`: every scenario, each in a fresh `node --expose-gc` process, as a table
// or `--json`. `--quick` is a smoke run (smaller N, under a minute); `--only a,b` picks
// scenarios; `--cpu-prof [dir]` profiles overseer's part of each and prints where the
// time went. A scenario that fails or overruns is reported as such; the others still run.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { ScenarioResult } from './harness.js';
import { formatResults } from './report.js';

const NAMES = [
  'throughput',
  'scale',
  'memory',
  'latency',
  'recovery',
  'supervision',
  'durability',
  'isolation',
  'soak',
  'qos',
  'teams',
  'distributed',
  'dashboard',
];
const flags = new Command('bench')
  .option('--quick', 'smaller N, for a smoke run under a minute', false)
  .option('--json', 'machine-readable results on stdout', false)
  .option('--only <names>', `comma-separated scenarios of ${NAMES.join(', ')}`)
  .option('--cpu-prof [dir]', "CPU profiles of overseer's part, into dir", false)
  .parse()
  .opts<{ quick: boolean; json: boolean; only?: string; cpuProf: string | boolean }>();

const chosen = flags.only ? flags.only.split(',').map((s) => s.trim()) : NAMES;
const unknown = chosen.filter((n) => !NAMES.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s) ${unknown.join(', ')}; known: ${NAMES.join(', ')}\n`);
  process.exit(2);
}
const profileDir = flags.cpuProf === true ? 'bench-profiles' : flags.cpuProf || undefined;
const runner = fileURLToPath(new URL('./run-scenario.ts', import.meta.url));
const machine = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
};

function runScenario(name: string): ScenarioResult {
  const started = performance.now();
  try {
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        '--import',
        'tsx',
        runner,
        name,
        flags.quick ? 'quick' : 'full',
        ...(profileDir ? [profileDir] : []),
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 16 * 2 ** 20,
        timeout: (flags.quick ? 3 : 30) * 60_000,
      },
    );
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ScenarioResult;
    const seconds = ((performance.now() - started) / 1_000).toFixed(1);
    return { ...result, notes: [...result.notes, `scenario took ${seconds} s`] };
  } catch (error) {
    process.exitCode = 1;
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { scenario: name, rows: [], notes: [`FAILED: ${why}`] };
  }
}

const results: ScenarioResult[] = [];
for (const name of chosen) {
  if (!flags.json) process.stderr.write(`running ${name}...\n`);
  results.push(runScenario(name));
}
if (flags.json)
  process.stdout.write(`${JSON.stringify({ machine, quick: flags.quick, results }, null, 2)}\n`);
else process.stdout.write(formatResults(machine, results));
