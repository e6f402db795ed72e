// What `system.stats()` reports: tasks by state, agents by state, restarts.
import type { AgentStatus } from '../agents/agent-registry.js';
import type { TaskBook } from '../tasks/task-book.js';

export interface SystemStats {
  readonly tasks: {
    readonly blocked: number;
    readonly queued: number;
    readonly assigned: number;
    readonly running: number;
    readonly retrying: number;
    readonly completed: number;
    readonly failed: number;
    readonly cancelled: number;
  };
  readonly agents: Readonly<Record<string, number>>;
  readonly restarts: number;
}

export function statsOf(
  tasks: TaskBook,
  agents: readonly AgentStatus[],
  restarts: number,
  queued: number,
): SystemStats {
  const byState: Record<string, number> = {};
  for (const agent of agents) byState[agent.state] = (byState[agent.state] ?? 0) + 1;
  return {
    tasks: {
      blocked: tasks.count('blocked'),
      queued,
      assigned: tasks.count('assigned'),
      running: tasks.count('running'),
      retrying: tasks.count('retrying'),
      completed: tasks.count('completed'),
      failed: tasks.count('failed'),
      cancelled: tasks.count('cancelled'),
    },
    agents: byState,
    restarts,
  };
}
