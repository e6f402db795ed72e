// The options that shape the demo workload, shared by `overseer demo` and `overseer inspect`.
import { type Command, Option } from 'commander';
import { numberIn } from './argument-parsers.js';

export function withDemoOptions(
  command: Command,
  defaults: { tasks: number; agents: number },
): Command {
  return command
    .addOption(
      new Option('--tasks <n>', 'tasks to run')
        .default(defaults.tasks)
        .argParser(numberIn(1, 1_000_000, true)),
    )
    .addOption(
      new Option('--agents <n>', 'agents (2 gpu, 1 io, the rest cpu)')
        .default(defaults.agents)
        .argParser(numberIn(4, 10_000, true)),
    )
    .addOption(
      new Option('--failure-rate <r>', 'share of attempts that fail')
        .default(0.1)
        .argParser(numberIn(0, 1, false)),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the simulated run')
        .default(42)
        .argParser(numberIn(-(2 ** 31), 2 ** 31 - 1, true)),
    );
}
