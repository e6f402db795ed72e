#!/usr/bin/env node
// The `overseer` command line. Exit codes: 0 success (also when the reader of its output
// goes away, as in `| head`), 1 tasks failed beyond the workload's tolerance (the demo: any
// task failed; eval: a pass rate below its minimum), 2 bad input (an unknown command, a bad
// argument, workload file, run records file or team module); `supervise` also 3 (it lost
// the leader lease) and 4 (its supervision tree gave up); `cancel --wait` 1 when the task
// ended otherwise than cancelled (or the cluster does not know it); `task` 1 when the
// cluster does not know the task.
import { Command, CommanderError, Option } from 'commander';
import {
  InspectorUnreachable,
  InvalidDashboardOptions,
  InvalidExporterOptions,
  InvalidRunRecord,
  InvalidTeamModule,
  PortInUse,
  WorkloadError,
} from '../errors/index.js';
import { closestName } from '../validation/closest-name.js';
import { numberIn, webSocketUrl } from './argument-parsers.js';
import { cliLogger, LOG_LEVELS, type LogLevel } from './cli-logger.js';
import { addClusterCommands } from './cluster-commands.js';
import { dashboardCommand } from './dashboard-command.js';
import { demoCommand } from './demo-command.js';
import { withDemoOptions } from './demo-options.js';
import { DEFAULT_MIN_PASS_RATE, evalCommand } from './eval-command.js';
import { inspectCommand } from './inspect-command.js';
import {
  DIAGRAM_FORMATS,
  type DiagramFormat,
  MACHINE_NAMES,
  machinesCommand,
} from './machines-command.js';
import { runCommand } from './run-command.js';
import { teamDemoCommand } from './team-demo-command.js';

// A reader that goes away (`overseer machines | head -c 10`) ends the output, not the
// process with a stack trace: exit quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const out = (line: string) => process.stdout.write(`${line}\n`);
const program = new Command('overseer')
  .description('An actor runtime for the Scheduler Agent Supervisor pattern, built on XState v5.')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .addOption(
    new Option('--log-level <level>', 'structured logs (JSON lines) on stderr at this level')
      .choices(LOG_LEVELS)
      .default('error'),
  );
const logger = () => cliLogger(program.opts<{ logLevel: LogLevel }>().logLevel);

// Words that name no command reach the default command (demo) as arguments; name them
// as the unknown command they are instead of a complaint about the demo's arguments.
program.hook('preSubcommand', (_program, command) => {
  const [word] = program.args;
  if (command.name() !== 'demo' || word === undefined || word.startsWith('-') || word === 'demo')
    return;
  const names = program.commands.map((c) => c.name());
  const near = closestName(word, names);
  program.error(
    `error: unknown command '${word}'${near ? `; did you mean '${near}'?` : ''} (commands: ${names.join(', ')})`,
    { code: 'commander.unknownCommand', exitCode: 2 },
  );
});

withDemoOptions(
  program
    .command('demo', { isDefault: true })
    .description('run the demo workload with a live view, ending with a summary'),
  { tasks: 300, agents: 7 },
)
  .option('--json', 'print only a machine-readable summary', false)
  .option(
    '--store <path|url>',
    'run on this SQLite file or PostgreSQL URL; a run cut short resumes when started again',
  )
  .addOption(
    new Option('--hung-agent <where>', 'where the agent that hangs runs')
      .choices(['thread', 'inline'])
      .default('thread'),
  )
  .addOption(
    new Option('--scenario <name>', 'workload: the task workload; team: the trip-planning team')
      .choices(['workload', 'team'])
      .default('workload'),
  )
  .action(async (flags) => {
    if (flags.scenario === 'team') {
      process.exitCode = await teamDemoCommand({ seed: flags.seed, json: flags.json }, out);
      return;
    }
    process.exitCode = await demoCommand(
      { ...flags, logLevel: program.opts<{ logLevel: LogLevel }>().logLevel },
      out,
    );
  });

program
  .command('run <workload>')
  .description('run a workload file (YAML or JSON) in a simulation')
  .option('--json', 'print only a machine-readable summary', false)
  .action(async (path: string, flags: { json: boolean }) => {
    process.exitCode = await runCommand(path, flags.json, out, logger());
  });

addClusterCommands(program, out, logger);

program
  .command('eval <records>')
  .description('replay recorded team runs (JSON lines) on a team module and report how it does')
  .requiredOption('--team <module>', 'module exporting team(): { system, spec } (docs/teams.md)')
  .addOption(
    new Option('--min-pass-rate <share>', 'exit 1 when fewer replays complete (0 to 1)')
      .default(DEFAULT_MIN_PASS_RATE)
      .argParser(numberIn(0, 1, false)),
  )
  .option('--json', 'print only a machine-readable report', false)
  .action(async (path: string, flags: { team: string; minPassRate: number; json: boolean }) => {
    process.exitCode = await evalCommand(path, flags, out);
  });

withDemoOptions(
  program
    .command('inspect')
    .description('run the demo, paced in real time, connected to the Stately inspector'),
  { tasks: 30, agents: 5 },
)
  .addOption(
    new Option('--port <n>', 'port of the local inspector bridge')
      .default(8080)
      .argParser(numberIn(1, 65_535, true)),
  )
  .addOption(
    new Option(
      '--url <ws-url>',
      'connect to this inspector server instead of starting one',
    ).argParser(webSocketUrl),
  )
  .addOption(
    new Option('--pace <ms>', 'real milliseconds per 10 ms of simulated time')
      .default(10)
      .argParser(numberIn(0, 10_000, true)),
  )
  .option('--no-open', 'do not open the inspector in a browser')
  .option('--no-wait', 'exit when the run ends instead of waiting for Ctrl-C')
  .action(async (flags) => {
    process.exitCode = await inspectCommand(
      { ...flags, wait: flags.wait && process.stdout.isTTY === true, logger: logger() },
      out,
    );
  });

withDemoOptions(
  program
    .command('dashboard')
    .description('run the demo (or --workload) with the live web dashboard on it'),
  { tasks: 1_000, agents: 12 },
)
  .option('--workload <file>', 'run this workload file (YAML or JSON) instead of the demo')
  .option('--db <url>', 'a read-only view of the PostgreSQL cluster whose store is at this URL')
  .option('--schema <name>', 'with --db: the PostgreSQL schema of the store', 'overseer')
  .addOption(
    new Option('--port <n>', 'port of the dashboard (0: any free port)')
      .default(4300)
      .argParser(numberIn(0, 65_535, true)),
  )
  .option('--host <address>', 'address to listen on (other than loopback exposes it)', '127.0.0.1')
  .option('--token <token>', 'enable the actions for requests bearing this token (16+ characters)')
  .addOption(
    new Option('--pace <ms>', 'real milliseconds per 10 ms of simulated time (the demo)')
      .default(10)
      .argParser(numberIn(0, 10_000, true)),
  )
  .addOption(
    new Option('--hung-agent <where>', 'where the demo agent that hangs runs')
      .choices(['thread', 'inline'])
      .default('thread'),
  )
  .option('--no-wait', 'exit when the run ends instead of serving until Ctrl-C')
  .action(async (flags) => {
    process.exitCode = await dashboardCommand({ ...flags, logger: logger() }, out);
  });

program
  .command('machines')
  .description('print the lifecycle machines')
  .addOption(
    new Option('--format <format>', 'output format').choices(DIAGRAM_FORMATS).default('mermaid'),
  )
  .addOption(new Option('--machine <name>', 'only this machine').choices(MACHINE_NAMES))
  .action((flags: { format: DiagramFormat; machine?: string }) =>
    machinesCommand(flags.format, out, flags.machine),
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (
    error instanceof WorkloadError ||
    error instanceof InvalidRunRecord ||
    error instanceof InvalidTeamModule ||
    error instanceof InspectorUnreachable ||
    error instanceof PortInUse ||
    error instanceof InvalidExporterOptions ||
    error instanceof InvalidDashboardOptions
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
