// Everything a system can be configured with, each option with its default, and the
// resolution of user options into a complete, validated set.
import type { Tracer } from '@opentelemetry/api';
import type { InspectionEvent, Observer } from 'xstate';
import type { RestartStrategy } from '../../machines/child-spec.js';
import type { RestartIntensity } from '../../machines/restart-intensity.js';
import { type Backoff, defaultRetryPolicy, type RetryPolicy } from '../../machines/retry-policy.js';
import type { AgentDeclaration, SupervisorDeclaration } from '../agents/agent-declaration.js';
import { InvalidSystemOptions } from '../errors/overseer-error.js';
import { type Logger, silentLogger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { realClock, type SystemClock } from './clock.js';

/** What XState's `inspect` option takes. */
export type Inspect = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export interface SystemOptions {
  /** Agents and supervisors of the root supervisor. Default none (add with `addAgent`). */
  readonly agents?: readonly (AgentDeclaration | SupervisorDeclaration)[];
  /** Time source. Default: wall clock (epoch ms). Pass XState's SimulatedClock in tests. */
  readonly clock?: SystemClock;
  /** Random source in [0, 1) for jitter seeds. Default Math.random. */
  readonly random?: () => number;
  /** Task ids when a spec has none. Default nanoid(). */
  readonly newTaskId?: () => string;
  /** Order of ready tasks. Default `priority` (higher first, FIFO within a priority). */
  readonly order?: 'priority' | 'fifo' | 'lifo';
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
   * this many the oldest are forgotten (handles keep their results). Default 100,000;
   * `Infinity` keeps every one, at about 1 KB each.
   */
  readonly retainFinished?: number;
  /**
   * Where the task lifecycle is written to survive the process (e.g. `sqliteStore(path)`).
   * With one, `submit` resolves once the task is durable, a task's end is durable before
   * it is announced, and `start()` rebuilds what the store holds. Default none.
   */
  readonly store?: Store;
  /** How long a running attempt's lease in the store lasts past its start, in ms. Default heartbeatTimeoutMs. */
  readonly leaseMs?: number;
  /** A task needing a capability no agent offers: `reject` (default, NoCapableAgent) or `keep-pending`. */
  readonly unmatchedCapability?: 'reject' | 'keep-pending';
  /** Agents per supervisor before a one_for_one pool is split into subtrees. Default 64. */
  readonly maxChildrenPerSupervisor?: number;
  /**
   * XState inspector: a callback or observer of inspection events, e.g. `inspector.inspect`
   * from @statelyai/inspect. Sees the whole actor tree (supervisors, agents, tasks).
   */
  readonly inspect?: Inspect;
  /** Structured logs (pino or anything with pino's debug/info/warn/error). Default silent. */
  readonly logger?: Logger;
  /** OpenTelemetry tracer for one span per task attempt, e.g. `trace.getTracer('overseer')`. Default none. */
  readonly tracer?: Tracer;
}

export interface ResolvedOptions {
  readonly agents: readonly (AgentDeclaration | SupervisorDeclaration)[];
  readonly clock: SystemClock;
  readonly random: () => number;
  readonly newTaskId: (() => string) | undefined;
  readonly order: 'priority' | 'fifo' | 'lifo';
  readonly agingMs: number | undefined;
  readonly agentPick: 'least-loaded' | 'round-robin';
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly strategy: RestartStrategy;
  readonly intensity: RestartIntensity;
  readonly restartBackoff: Backoff;
  readonly abortGraceMs: number;
  readonly queueCapacity: number;
  readonly retainFinished: number;
  readonly store: Store | undefined;
  readonly leaseMs: number;
  readonly unmatchedCapability: 'reject' | 'keep-pending';
  readonly maxChildrenPerSupervisor: number;
  readonly inspect: Inspect | undefined;
  readonly logger: Logger;
  readonly tracer: Tracer | undefined;
}

const positive = (value: number | undefined, field: string, fallback: number, integer = false) => {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new InvalidSystemOptions(
      field,
      `must be a positive ${integer ? 'integer' : 'number'}, got ${String(v)}`,
    );
  }
  return v;
};

const oneOf = <T extends string>(
  value: T | undefined,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T => {
  const v = value ?? fallback;
  if (!allowed.includes(v))
    throw new InvalidSystemOptions(field, `must be one of ${allowed.join(', ')}, got ${String(v)}`);
  return v;
};

const storeOption = (store: Store | undefined): Store | undefined => {
  if (
    store !== undefined &&
    (typeof store !== 'object' ||
      store === null ||
      typeof store.appendTask !== 'function' ||
      typeof store.load !== 'function' ||
      typeof store.flush !== 'function')
  )
    throw new InvalidSystemOptions(
      'store',
      'must be a Store, e.g. memoryStore() or sqliteStore(path)',
    );
  return store;
};

const retention = (value: number | undefined): number => {
  const v = value ?? 100_000;
  if (v !== Number.POSITIVE_INFINITY && (!Number.isInteger(v) || v < 0))
    throw new InvalidSystemOptions(
      'retainFinished',
      `must be an integer >= 0 or Infinity, got ${String(v)}`,
    );
  return v;
};

export function resolveOptions(options: SystemOptions = {}): ResolvedOptions {
  const heartbeatTimeoutMs = positive(options.heartbeatTimeoutMs, 'heartbeatTimeoutMs', 5_000);
  const heartbeatIntervalMs = positive(options.heartbeatIntervalMs, 'heartbeatIntervalMs', 1_000);
  if (heartbeatIntervalMs >= heartbeatTimeoutMs) {
    throw new InvalidSystemOptions(
      'heartbeatIntervalMs',
      `must be below heartbeatTimeoutMs (${heartbeatTimeoutMs}), got ${heartbeatIntervalMs}`,
    );
  }
  const intensity = options.intensity ?? { maxRestarts: 10, periodMs: 10_000 };
  if (!Number.isInteger(intensity.maxRestarts) || intensity.maxRestarts < 0) {
    throw new InvalidSystemOptions(
      'intensity.maxRestarts',
      `must be an integer >= 0, got ${String(intensity.maxRestarts)}`,
    );
  }
  positive(intensity.periodMs, 'intensity.periodMs', 1);
  if (options.agingMs !== undefined) positive(options.agingMs, 'agingMs', 1);
  const { inspect } = options;
  if (
    inspect !== undefined &&
    typeof inspect !== 'function' &&
    (typeof inspect !== 'object' || inspect === null || typeof inspect.next !== 'function')
  ) {
    throw new InvalidSystemOptions('inspect', 'must be a function or an observer with next()');
  }
  return {
    agents: options.agents ?? [],
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
    newTaskId: options.newTaskId,
    order: oneOf(options.order, 'order', ['priority', 'fifo', 'lifo'], 'priority'),
    agingMs: options.agingMs,
    agentPick: oneOf(
      options.agentPick,
      'agentPick',
      ['least-loaded', 'round-robin'],
      'least-loaded',
    ),
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    retry: options.retry ?? defaultRetryPolicy,
    strategy: oneOf(
      options.strategy,
      'strategy',
      ['one_for_one', 'one_for_all', 'rest_for_one'],
      'one_for_one',
    ),
    intensity,
    restartBackoff: options.restartBackoff ?? {
      kind: 'exponential',
      initialDelayMs: 100,
      maxDelayMs: 5_000,
    },
    abortGraceMs: positive(options.abortGraceMs, 'abortGraceMs', 5_000),
    queueCapacity: positive(options.queueCapacity, 'queueCapacity', 1_000_000, true),
    retainFinished: retention(options.retainFinished),
    store: storeOption(options.store),
    leaseMs: positive(options.leaseMs, 'leaseMs', heartbeatTimeoutMs),
    unmatchedCapability: oneOf(
      options.unmatchedCapability,
      'unmatchedCapability',
      ['reject', 'keep-pending'],
      'reject',
    ),
    maxChildrenPerSupervisor: positive(
      options.maxChildrenPerSupervisor,
      'maxChildrenPerSupervisor',
      64,
      true,
    ),
    inspect: options.inspect,
    logger: options.logger ?? silentLogger,
    tracer: options.tracer,
  };
}
