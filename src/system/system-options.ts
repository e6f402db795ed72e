// Everything a system can be configured with, each option with its default.

import type { Tracer } from '@opentelemetry/api';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { InspectionEvent, Observer } from 'xstate';
import type { AgentLimiterOptions } from '../../machines/agent-limiter.js';
import type { RestartStrategy } from '../../machines/child-spec.js';
import type { QosOptions } from '../../machines/qos-classes.js';
import type { RestartIntensity } from '../../machines/restart-intensity.js';
import type { Backoff, RetryPolicy } from '../../machines/retry-policy.js';
import type { AgentDeclaration, SupervisorDeclaration } from '../agents/agent-declaration.js';
import type { SystemClock } from '../core/clock.js';
import type { ListenerErrorHandler } from '../core/listener-faults.js';
import type { Logger } from '../observability/logger.js';
import type { TaskOrder } from '../scheduling/task-order.js';
import type { Store } from '../store/store.js';
import type { ToolDeclarations } from '../tools/tool-declaration.js';

/** What XState's `inspect` option takes. */
export type Inspect = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export interface SystemOptions {
  /** Agents and supervisors of the root supervisor. Default none (add with `addAgent`). */
  readonly agents?: readonly (AgentDeclaration | SupervisorDeclaration)[];
  /** Time source. Default: wall clock (epoch ms). Pass XState's SimulatedClock in tests. */
  readonly clock?: SystemClock;
  /** Random source in [0, 1) for jitter seeds. Default Math.random. */
  readonly random?: () => number;
  /** Task ids when a spec has none. Default a nanoid that never begins with `-` (a command line would take it for an option). */
  readonly newTaskId?: () => string;
  /**
   * Order of ready tasks. Default `priority`: higher first, FIFO within a priority.
   * `priority-lifo`: higher first, newest first within a priority. `fifo` and `lifo`
   * ignore priority.
   */
  readonly order?: TaskOrder;
  /** Under `priority`, a waiting task gains one priority level per this many ms. Default: no aging. */
  readonly agingMs?: number;
  /** Which of several fitting agents gets a task. Default `least-loaded`. */
  readonly agentPick?: 'least-loaded' | 'round-robin';
  /** How often the runtime heartbeats for a busy `auto` agent, in ms. Default 1000. */
  readonly heartbeatIntervalMs?: number;
  /** Silence after which a busy agent is unresponsive, in ms. Default 5000. */
  readonly heartbeatTimeoutMs?: number;
  /** Retry policy of tasks that set none. Default 3 attempts, exponential 1 s to 30 s, 20% jitter. */
  readonly retry?: RetryPolicy;
  /** Root supervisor's strategy. Default `one_for_one`. */
  readonly strategy?: RestartStrategy;
  /**
   * Restart intensity of every supervisor that sets none. Default 10 restarts in 10000 ms:
   * OTP's 1 in 5 s suits a few long-lived children, while a pool of agents that crash now
   * and then independently would escalate on its second crash.
   */
  readonly intensity?: RestartIntensity;
  /** Delay before a restarted agent takes work, growing with consecutive restarts. Default exponential 100 ms to 5 s. */
  readonly restartBackoff?: Backoff;
  /** Time a handler gets to honour its abort signal before its agent is restarted, in ms. Default 5000. */
  readonly abortGraceMs?: number;
  /** Unfinished tasks the system holds at most; a submit beyond it fails with QueueFull. Default 1,000,000. */
  readonly queueCapacity?: number;
  /**
   * Finished tasks remembered for `task(id)`, idempotency keys and dependencies; beyond
   * this many the oldest are forgotten (handles keep their results), by the system and by
   * its store (unless `keepFinishedInStore`), so neither grows without bound. Default
   * 100,000; `Infinity` keeps every one, at about 1 KB each.
   */
  readonly retainFinished?: number;
  /**
   * Keep the finished tasks `retainFinished` let go in the store (until `compact` drops
   * them), as an archive. A store that keeps every task in memory (PostgreSQL's mirror)
   * then grows with them, and a recovery or a standby's takeover reads them all. Default
   * false.
   */
  readonly keepFinishedInStore?: boolean;
  /**
   * Where the task lifecycle is written to survive the process (e.g. `sqliteStore(path)`).
   * With one, `submit` resolves once the task is durable, a task's end is durable before
   * it is announced, and `start()` rebuilds what the store holds. Default none.
   */
  readonly store?: Store;
  /** How long a running attempt's lease in the store lasts past its start, in ms. Default heartbeatTimeoutMs. */
  readonly leaseMs?: number;
  /**
   * How long a running attempt's start waits before it is written to the store, in ms (below
   * `leaseMs`). A task that ends (or retries) meanwhile writes its start with its end: one
   * write of its row instead of two, and no lease made and dropped, which is most of a
   * short task's cost on PostgreSQL. The price: a crash before the start is written runs
   * the attempt again without counting it (docs/durability.md). Default 0: written at once.
   */
  readonly startWriteDelayMs?: number;
  /** A task needing a capability no agent offers: `reject` (default, NoCapableAgent) or `keep-pending`. */
  readonly unmatchedCapability?: 'reject' | 'keep-pending';
  /** Agents per supervisor before a one_for_one pool is split into subtrees. Default 64. */
  readonly maxChildrenPerSupervisor?: number;
  /**
   * XState inspector: a callback or observer of inspection events, e.g. `inspector.inspect`
   * from @statelyai/inspect. Sees the whole actor tree (supervisors, agents, tasks).
   */
  readonly inspect?: Inspect;
  /**
   * Service-level classes a task names with `qos`: each with its latency SLO, weight, queue
   * cap and overload policy, and the class of a task that names none. Without it, `qos` is
   * a free label and nothing is capped per class. See docs/qos.md.
   */
  readonly qos?: QosOptions;
  /**
   * Adaptive concurrency and a circuit breaker per agent (machines/agent-limiter.ts): an
   * agent's slots follow its observed latency and failures (AIMD between 1 and its
   * `concurrency`), and an agent that keeps failing gets no work until a probe succeeds.
   * `true` for the defaults, or the limiter's options. Default off. See docs/qos.md.
   */
  readonly adaptiveConcurrency?: boolean | AgentLimiterOptions;
  /** Structured logs (pino or anything with pino's debug/info/warn/error). Default silent. */
  readonly logger?: Logger;
  /**
   * Takes what a listener given to `on` or `onLatency` throws, as a ListenerFailed naming the
   * listener (its `cause`: what it threw). The system goes on either way: it finishes what
   * it was doing, and the other listeners hear the event. Default: the error is logged at
   * error level and thrown again on a later turn of the event loop (an uncaught exception,
   * as Node's emitters give), where nothing of the system's is on the stack.
   */
  readonly onListenerError?: ListenerErrorHandler;
  /** OpenTelemetry tracer for one span per task attempt, e.g. `trace.getTracer('overseer')`. Default none. */
  readonly tracer?: Tracer;
  /**
   * Tools by name, each with its input and output schemas, handler, timeout, concurrency,
   * rate and retry (src/tools/tool-declaration.ts). Agents granted one by name (`tools` in
   * their declaration) call it as `ctx.tools.<name>(input)`. Default none. See docs/tools.md.
   */
  readonly tools?: ToolDeclarations;
  /**
   * Result schemas by task type, for tasks that bring none of their own: tasks recovered from
   * a store and tasks submitted through a cluster client (a schema is code, so neither can
   * carry one), or simply one schema for every task of a type. A task's own `outputSchema`
   * wins. A result that fails it is a failed attempt (`InvalidOutput`). Default none.
   */
  readonly outputSchemas?: Readonly<Record<string, StandardSchemaV1>>;
}
