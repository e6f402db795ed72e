// `overseer cancel --db <url> <taskId> [--reason <text>]`: asks the cluster whose store is at
// <url> to cancel a task, as a client's `cancel` does: the request is durable when the
// command says so, and the leader applies it as it takes it in. With --wait, the command
// stays until the task has ended and says how (a task that ended otherwise, or that the
// cluster does not know, is named: exit 1).
import { TaskCancelled } from '../errors/index.js';
import { withClusterClient } from './cluster-client-command.js';

export interface CancelFlags {
  readonly db: string;
  readonly schema: string;
  readonly reason: string;
  readonly wait: boolean;
}

export function cancelCommand(
  taskId: string,
  flags: CancelFlags,
  out: (line: string) => void,
): Promise<number> {
  return withClusterClient(flags, out, async (client) => {
    await client.cancel(taskId, flags.reason);
    out(`asked the cluster to cancel task ${taskId}`);
    if (!flags.wait) return 0;
    try {
      await client.task(taskId).result();
      out(`task ${taskId} had completed: nothing to cancel`);
      return 1;
    } catch (error) {
      if (error instanceof TaskCancelled) {
        out(`task ${taskId} is cancelled`);
        return 0;
      }
      out(`task ${taskId}: ${(error as Error).message}`);
      return 1;
    }
  });
}
