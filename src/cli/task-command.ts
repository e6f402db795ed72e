// `overseer task --db <url> <taskId> [--json]`: one task of the cluster whose store is at
// <url>, read straight from the database as a client's `task(id).status()` and `history()`
// read it: where it is now (or that its submission waits for a leader), then each record
// the leader stored, with its time. Exit 0 when the cluster knows the task, 1 when it does
// not (never submitted, forgotten, or refused: named), 2 when the database cannot be read.
import type { RemoteTaskStatus } from '../cluster/remote-status.js';
import { SubmissionRefused, UnknownTask } from '../errors/index.js';
import type { Stored, TaskLifecycleRecord } from '../store/store-records.js';
import { withClusterClient } from './cluster-client-command.js';

export interface TaskFlags {
  readonly db: string;
  readonly schema: string;
  readonly json: boolean;
}

export function taskCommand(
  taskId: string,
  flags: TaskFlags,
  out: (line: string) => void,
): Promise<number> {
  return withClusterClient(flags, out, async (client) => {
    const task = client.task(taskId);
    try {
      const status = await task.status();
      const history = await task.history();
      if (flags.json) out(JSON.stringify({ status, history }));
      else for (const line of describe(status, history)) out(line);
      return 0;
    } catch (error) {
      if (!(error instanceof UnknownTask || error instanceof SubmissionRefused)) throw error;
      out(
        flags.json ? JSON.stringify({ error: error.name, message: error.message }) : error.message,
      );
      return 1;
    }
  });
}

const time = (ms: number) => new Date(ms).toISOString();

function describe(status: RemoteTaskStatus, history: readonly Stored<TaskLifecycleRecord>[]) {
  if (status.state === 'submitted')
    return [`task ${status.id}: submitted, waiting for a leader to take it in`];
  const lines = [
    `task ${status.id} (type ${status.type}, class ${status.qos}): ${status.state}`,
    `  attempts ${status.attempts}${status.agentId ? `, last on ${status.agentId}` : ''}`,
    `  submitted ${time(status.submittedAt)}, last changed ${time(status.updatedAt)}`,
  ];
  if (status.retryAt !== undefined) lines.push(`  runs again at ${time(status.retryAt)}`);
  if (status.state === 'completed') lines.push(`  output ${JSON.stringify(status.output)}`);
  if (status.error) lines.push(`  error ${status.error.code}: ${status.error.message}`);
  if (status.reason !== undefined) lines.push(`  reason ${status.reason}`);
  lines.push('history:');
  for (const record of history) lines.push(`  ${time(record.at)}  ${what(record)}`);
  return lines;
}

function what(record: TaskLifecycleRecord): string {
  switch (record.kind) {
    case 'task.submitted':
      return 'submitted';
    case 'task.transition': {
      const on = record.agentId ? ` on ${record.agentId}` : '';
      const attempt = record.attempt > 0 ? ` (attempt ${record.attempt}${on})` : '';
      const error = record.error ? `, after ${record.error.code}: ${record.error.message}` : '';
      return `${record.state}${attempt}${error}`;
    }
    case 'task.completed':
      return `completed (attempt ${record.attempt})`;
    case 'task.failed':
      return `failed (attempt ${record.attempt}): ${record.error.code}: ${record.error.message}`;
    case 'task.cancelled':
      return `cancelled: ${record.reason}`;
  }
}
