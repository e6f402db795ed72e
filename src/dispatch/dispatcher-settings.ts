// What the dispatcher (dispatcher.ts) is given by the composition root: the parts it
// carries decisions between, and the system's rules for placing and running work.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { Attempt } from '../agents/attempt.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { AgentHosts } from '../isolation/agent-hosts.js';
import type { QosControl } from '../qos/qos-control.js';
import type { Requirement } from '../scheduling/requirement.js';
import type { SchedulerOptions } from '../scheduling/scheduler.js';
import type { TaskBook } from '../tasks/task-book.js';
import type { TaskLifecycle } from '../tasks/task-lifecycle.js';
import type { ToolSet } from '../tools/tool-set.js';

export interface DispatcherSettings {
  readonly clock: SystemClock;
  readonly events: EventStream;
  readonly book: TaskBook;
  readonly lifecycle: TaskLifecycle;
  readonly agents: AgentRegistry;
  readonly hosts: AgentHosts;
  readonly scheduling: SchedulerOptions;
  readonly abortGraceMs: number;
  readonly outputSchemas?: ReadonlyMap<string, StandardSchemaV1>;
  readonly tools?: ToolSet; // the system's tools, for the handlers' `ctx.tools`
  /** Whether any agent still declared could ever run such a task. */
  canEverServe(requirement: Requirement): boolean;
  /** `reject`: a task no agent left can run fails with NoCapableAgent; `keep-pending`: it waits. */
  readonly unmatchedCapability: 'reject' | 'keep-pending';
  /** With QoS classes: delay samples, run times, and no start of a task that cannot make it. */
  readonly qos: QosControl | undefined;
  /** Adaptive concurrency: an agent is online with its declared slots (its limit applies). */
  agentOnline?(agentId: string, slots: number): void;
  /** QoS or adaptive concurrency: an attempt produced output (`ok`) or failed. */
  attemptEnded?(attempt: Attempt, agentId: string, ok: boolean): void;
}
