// `overseer submit --db <url> [file | -] [--spec <json>] [--wait]`: submits tasks to the
// cluster whose store is at <url>, as a client's `submit` does: a task spec (a JSON object)
// or a batch (a JSON array, taken in whole or not at all, as `submitMany`), from a file,
// from stdin (`-`) or inline (--spec). Each task's id is printed once it is durable. With
// --wait, the command stays until every task has ended and prints how: exit 0 when all
// completed, 1 when one did not (failed, cancelled, refused). A spec it cannot read or that
// is invalid is exit 2, named, with nothing submitted.
import { readFileSync } from 'node:fs';
import type { RemoteTask } from '../cluster/cluster-client.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { withClusterClient } from './cluster-client-command.js';

export interface SubmitFlags {
  readonly db: string;
  readonly schema: string;
  readonly spec?: string;
  readonly wait: boolean;
}

/** The specs given: one object, or an array (a batch); a problem named, as a string. */
export function specsFrom(
  file: string | undefined,
  inline: string | undefined,
  stdin: () => string,
): { specs: TaskSpec | TaskSpec[] } | { problem: string } {
  if ((file === undefined) === (inline === undefined))
    return { problem: 'give the task spec as a file, - for stdin, or --spec <json> (one of them)' };
  let text: string;
  const from = inline !== undefined ? '--spec' : file === '-' ? 'stdin' : (file as string);
  try {
    text = inline ?? (file === '-' ? stdin() : readFileSync(file as string, 'utf8'));
  } catch (error) {
    return { problem: `cannot read ${from}: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `${from} is not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null)
    return { problem: `${from} must hold a task spec (an object) or a batch (an array of them)` };
  return { specs: value as TaskSpec | TaskSpec[] };
}

export function submitCommand(
  file: string | undefined,
  flags: SubmitFlags,
  out: (line: string) => void,
  stdin: () => string = () => readFileSync(0, 'utf8'),
): Promise<number> {
  const read = specsFrom(file, flags.spec, stdin);
  if ('problem' in read) {
    out(`error: ${read.problem}`);
    return Promise.resolve(2);
  }
  const { specs } = read;
  return withClusterClient(flags, out, async (client) => {
    const tasks: RemoteTask[] = Array.isArray(specs)
      ? await client.submitMany(specs)
      : [await client.submit(specs)];
    for (const task of tasks) out(`submitted task ${task.id}`);
    if (!flags.wait) return 0;
    let code = 0;
    // In order, each once it ended (all are waited for together).
    const ends = tasks.map((task) =>
      task.result().then(
        (output) => `task ${task.id} completed: ${JSON.stringify(output) ?? 'undefined'}`,
        (error: unknown) => {
          code = 1;
          return `task ${task.id}: ${(error as Error).message}`;
        },
      ),
    );
    for (const line of await Promise.all(ends)) out(line);
    return code;
  });
}
