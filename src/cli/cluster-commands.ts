// The commands of a PostgreSQL cluster (docs/distributed.md): the processes that run it
// (`node`, `supervise`, each with `--metrics-port`), and what any process may ask of it
// (`submit`, `cancel`, `task`, `status`).
import { type Command, Option } from 'commander';
import type { Logger } from '../observability/logger.js';
import { numberIn } from './argument-parsers.js';
import { type CancelFlags, cancelCommand } from './cancel-command.js';
import { type NodeFlags, nodeCommand } from './node-command.js';
import { statusCommand } from './status-command.js';
import { type SubmitFlags, submitCommand } from './submit-command.js';
import { type SuperviseFlags, superviseCommand } from './supervise-command.js';
import { type TaskFlags, taskCommand } from './task-command.js';

/** `--metrics-port` and `--metrics-host`, of the commands that run a cluster's processes. */
function withMetrics(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--metrics-port <n>',
        'serve Prometheus metrics on GET /metrics (0: any free port)',
      ).argParser(numberIn(0, 65_535, true)),
    )
    .option(
      '--metrics-host <address>',
      'address the metrics listen on (other than loopback exposes them)',
      '127.0.0.1',
    );
}

/** `--db` and `--schema`: where the cluster's store is, for every command of a cluster. */
function onCluster(command: Command): Command {
  return command
    .requiredOption('--db <url>', 'the database, e.g. postgres://user@host/db')
    .option('--schema <name>', 'the PostgreSQL schema of the store', 'overseer');
}

/** Adds the cluster's commands to `program`; `out` prints a line, `logger` is the CLI's. */
export function addClusterCommands(
  program: Command,
  out: (line: string) => void,
  logger: () => Logger,
): void {
  withMetrics(onCluster(program.command('node')))
    .description('host remote agents for the cluster whose PostgreSQL store is at --db')
    .requiredOption('--agents <module>', 'module exporting each agent’s handler under its id')
    .addOption(
      new Option(
        '--runs <where>',
        'where each agent runs on the node (inline: in the node itself, for trusted handlers)',
      )
        .choices(['process', 'thread', 'inline'])
        .default('process'),
    )
    .action(async (flags: NodeFlags) => {
      process.exitCode = await nodeCommand({ ...flags, logger: logger() }, out);
    });

  withMetrics(onCluster(program.command('supervise')))
    .description(
      'run the supervisor of the cluster at --db: standby until it holds the leader lease',
    )
    .requiredOption(
      '--agents <module>',
      'module exporting `agents` (declarations) and optional `system` options',
    )
    .addOption(
      new Option('--lease-ms <ms>', 'how long the leader lease lasts without renewal')
        .default(5_000)
        .argParser(numberIn(100, 600_000, true)),
    )
    .action(async (flags: SuperviseFlags) => {
      process.exitCode = await superviseCommand({ ...flags, logger: logger() }, out);
      // A leader that stepped down must stop at once: nothing of it may go on.
      if (process.exitCode === 3) process.exit(3);
    });

  onCluster(program.command('cancel <taskId>'))
    .description('ask the cluster at --db to cancel a task: durable when it returns')
    .option('--reason <text>', 'why, as the cancelled task says', 'cancelled from the command line')
    .option('--wait', 'wait until the task has ended, and say how', false)
    .action(async (taskId: string, flags: CancelFlags) => {
      process.exitCode = await cancelCommand(taskId, flags, out);
    });

  onCluster(program.command('submit [file]'))
    .description(
      'submit a task spec (a JSON object) or a batch (an array) to the cluster at --db, from a file, - for stdin, or --spec',
    )
    .option('--spec <json>', 'the task spec or batch inline')
    .option('--wait', 'wait until every task has ended, and say how', false)
    .action(async (file: string | undefined, flags: SubmitFlags) => {
      process.exitCode = await submitCommand(file, flags, out);
    });

  onCluster(program.command('task <taskId>'))
    .description('one task of the cluster at --db: where it is now, and its history')
    .option('--json', 'print one JSON line', false)
    .action(async (taskId: string, flags: TaskFlags) => {
      process.exitCode = await taskCommand(taskId, flags, out);
    });

  onCluster(program.command('status'))
    .description('what a PostgreSQL store holds now: owner, tasks by state, agents, team runs')
    .option('--json', 'print one JSON line', false)
    .action(async (flags: { db: string; schema: string; json: boolean }) => {
      process.exitCode = await statusCommand(flags, out);
    });
}
