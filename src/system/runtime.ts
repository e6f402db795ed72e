// The parts of a running system that its components reach each other through. One
// instance per system; the components hold it rather than each other.
import type { AgentPool } from '../agents/agent-pool.js';
import type { AttemptRunner } from '../agents/attempt-runner.js';
import type { TaskJournal } from '../durability/task-journal.js';
import type { AgentHosts } from '../isolation/agent-hosts.js';
import type { Scheduler } from '../scheduling/scheduler.js';
import type { TaskCoordinator } from '../tasks/task-coordinator.js';
import type { SystemClock } from './clock.js';
import type { EventStream } from './event-stream.js';
import type { ResolvedOptions } from './system-options.js';

export type SystemPhase = 'created' | 'running' | 'draining' | 'stopped' | 'failed';

export interface Runtime {
  readonly options: ResolvedOptions;
  readonly clock: SystemClock;
  readonly events: EventStream;
  readonly scheduler: Scheduler;
  readonly tasks: TaskCoordinator;
  readonly agents: AgentPool;
  readonly attempts: AttemptRunner;
  /** New work is handed to agents only while running. */
  readonly phase: SystemPhase;
  /** Writes the task lifecycle to a durable store, when the system has one. */
  readonly journal?: TaskJournal | undefined;
  /** Worker threads of the agents that run in one. */
  readonly threads: AgentHosts;
}
