// `npm run bench`: every scenario, each in a fresh process, as a table or `--json`.
// `--quick` is a smoke run (smaller N, under a minute); `--only a,b` picks scenarios.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { ScenarioResult } from './harness.js';
import { formatResults } from './report.js';

const NAMES = ['throughput', 'scale', 'memory', 'latency', 'recovery', 'supervision'];
const flags = new Command('bench')
  .option('--quick', 'smaller N, for a smoke run', false)
  .option('--json', 'machine-readable results', false)
  .option('--only <names>', `comma-separated scenarios of ${NAMES.join(', ')}`)
  .parse()
  .opts<{ quick: boolean; json: boolean; only?: string }>();

const chosen = flags.only ? flags.only.split(',').map((s) => s.trim()) : NAMES;
const unknown = chosen.filter((n) => !NAMES.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s) ${unknown.join(', ')}; known: ${NAMES.join(', ')}\n`);
  process.exit(2);
}
const runner = fileURLToPath(new URL('./run-scenario.ts', import.meta.url));
const machine = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
};
const results: ScenarioResult[] = [];
for (const name of chosen) {
  if (!flags.json) process.stderr.write(`running ${name}...\n`);
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
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20 },
  );
  results.push(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ScenarioResult);
}
if (flags.json)
  process.stdout.write(`${JSON.stringify({ machine, quick: flags.quick, results }, null, 2)}\n`);
else process.stdout.write(formatResults(machine, results));
