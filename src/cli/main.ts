#!/usr/bin/env node
// The `overseer` command line. Exit codes: 0 success, 1 tasks failed beyond the
// workload's tolerance, 2 bad input (arguments or workload file).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { demoCommand } from './demo-command.js';
import { DIAGRAM_FORMATS, type DiagramFormat, machinesCommand } from './machines-command.js';
import { runCommand } from './run-command.js';
import { WorkloadError } from './workload-file.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const number = (min: number, max: number, integer: boolean) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InvalidArgumentError(
      `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
};

const program = new Command('overseer')
  .description('An actor runtime for the Scheduler Agent Supervisor pattern, built on XState v5.')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command('demo', { isDefault: true })
  .description('run the demo workload with a live view, ending with a summary')
  .addOption(
    new Option('--tasks <n>', 'tasks to run').default(300).argParser(number(1, 1_000_000, true)),
  )
  .addOption(
    new Option('--agents <n>', 'agents (2 gpu, 1 io, the rest cpu)')
      .default(7)
      .argParser(number(4, 10_000, true)),
  )
  .addOption(
    new Option('--failure-rate <r>', 'share of attempts that fail')
      .default(0.1)
      .argParser(number(0, 1, false)),
  )
  .addOption(
    new Option('--seed <n>', 'seed of the simulated run')
      .default(42)
      .argParser(number(-(2 ** 31), 2 ** 31 - 1, true)),
  )
  .option('--json', 'print only a machine-readable summary', false)
  .action(async (flags) => {
    process.exitCode = await demoCommand(flags, out);
  });

program
  .command('run <workload>')
  .description('run a workload file (YAML or JSON) in a simulation')
  .option('--json', 'print only a machine-readable summary', false)
  .action(async (path: string, flags: { json: boolean }) => {
    process.exitCode = await runCommand(path, flags.json, out);
  });

program
  .command('machines')
  .description('print the lifecycle machines')
  .addOption(
    new Option('--format <format>', 'output format').choices(DIAGRAM_FORMATS).default('mermaid'),
  )
  .action((flags: { format: DiagramFormat }) => machinesCommand(flags.format, out));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof WorkloadError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
