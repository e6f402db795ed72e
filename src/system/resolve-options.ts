// The resolution of user options into a complete, validated set, each default applied.

import type { Tracer } from '@opentelemetry/api';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AgentLimiterOptions } from '../../machines/agent-limiter.js';
import type { RestartStrategy } from '../../machines/child-spec.js';
import type { QosOptions } from '../../machines/qos-classes.js';
import type { RestartIntensity } from '../../machines/restart-intensity.js';
import { type Backoff, defaultRetryPolicy, type RetryPolicy } from '../../machines/retry-policy.js';
import type { AgentDeclaration, SupervisorDeclaration } from '../agents/agent-declaration.js';
import { realClock, type SystemClock } from '../core/clock.js';
import type { ListenerErrorHandler } from '../core/listener-faults.js';
import { InvalidSystemOptions } from '../errors/index.js';
import { type Logger, silentLogger } from '../observability/logger.js';
import type { TaskOrder } from '../scheduling/task-order.js';
import type { Store } from '../store/store.js';
import type { ToolDeclarations } from '../tools/tool-declaration.js';
import { validateDeclarations } from '../validation/validate-agent-declaration.js';
import { poolMax } from '../validation/validate-cluster-options.js';
import { checkSystemOptions } from '../validation/validate-system-options.js';
import type { Inspect, SystemOptions } from './system-options.js';

export interface ResolvedOptions {
  readonly agents: readonly (AgentDeclaration | SupervisorDeclaration)[];
  readonly clock: SystemClock;
  readonly random: () => number;
  readonly newTaskId: (() => string) | undefined;
  readonly order: TaskOrder;
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
  readonly keepFinishedInStore: boolean;
  readonly store: Store | undefined;
  readonly leaseMs: number;
  readonly startWriteDelayMs: number;
  readonly unmatchedCapability: 'reject' | 'keep-pending';
  readonly qos: QosOptions | undefined;
  /** The agents' limiter options; undefined: adaptive concurrency is off. */
  readonly adaptiveConcurrency: AgentLimiterOptions | undefined;
  readonly maxChildrenPerSupervisor: number;
  readonly inspect: Inspect | undefined;
  readonly logger: Logger;
  readonly onListenerError: ListenerErrorHandler | undefined;
  readonly tracer: Tracer | undefined;
  readonly tools: ToolDeclarations;
  /** Result schemas by task type, for tasks without their own. */
  readonly outputSchemas: ReadonlyMap<string, StandardSchemaV1>;
}

/**
 * User options with every default applied.
 * @throws InvalidSystemOptions naming the offending option by its path: an unknown option
 * (with the closest known name), a value of the wrong shape, or a heartbeat interval not
 * below the heartbeat timeout.
 * @throws InvalidAgentDeclaration for an agent declaration at fault, such as one granted a
 * tool the options do not declare.
 */
export function resolveOptions(options: SystemOptions = {}): ResolvedOptions {
  checkSystemOptions(options);
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 5_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
  if (heartbeatIntervalMs >= heartbeatTimeoutMs) {
    throw new InvalidSystemOptions(
      'heartbeatIntervalMs',
      `must be below heartbeatTimeoutMs (${heartbeatTimeoutMs}), got ${heartbeatIntervalMs}`,
    );
  }
  const leaseMs = options.leaseMs ?? heartbeatTimeoutMs;
  const startWriteDelayMs = options.startWriteDelayMs ?? 0;
  if (startWriteDelayMs >= leaseMs) {
    throw new InvalidSystemOptions(
      'startWriteDelayMs',
      `must be below leaseMs (${leaseMs}), got ${startWriteDelayMs}`,
    );
  }
  const tools = options.tools ?? {};
  const agents = options.agents ?? [];
  // Declarations are checked here, where the tools they are granted are known.
  validateDeclarations(agents, 'agents', new Set(Object.keys(tools)));
  const remote = remoteAgent(agents);
  if (remote && options.store?.kind !== 'postgres')
    throw new InvalidSystemOptions(
      'store',
      `must be a PostgreSQL store (postgresStore(url)) for agent ${remote.id} with runs: 'remote': its nodes meet the supervisor in that database`,
    );
  const max = poolMax((options.store as { place?: { pool?: unknown } } | undefined)?.place?.pool);
  if (remote && max !== undefined && max < 2)
    throw new InvalidSystemOptions(
      'store',
      `must have a pool of 2 connections at least (poolSize), one listening for the messages of agent ${remote.id} with runs: 'remote', got ${max}`,
    );
  return {
    agents,
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
    newTaskId: options.newTaskId,
    order: options.order ?? 'priority',
    agingMs: options.agingMs,
    agentPick: options.agentPick ?? 'least-loaded',
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    retry: options.retry ?? defaultRetryPolicy,
    strategy: options.strategy ?? 'one_for_one',
    intensity: options.intensity ?? { maxRestarts: 10, periodMs: 10_000 },
    restartBackoff: options.restartBackoff ?? {
      kind: 'exponential',
      initialDelayMs: 100,
      maxDelayMs: 5_000,
    },
    abortGraceMs: options.abortGraceMs ?? 5_000,
    queueCapacity: options.queueCapacity ?? 1_000_000,
    retainFinished: options.retainFinished ?? 100_000,
    keepFinishedInStore: options.keepFinishedInStore ?? false,
    store: options.store,
    leaseMs,
    startWriteDelayMs,
    unmatchedCapability: options.unmatchedCapability ?? 'reject',
    qos: options.qos,
    adaptiveConcurrency:
      options.adaptiveConcurrency === true ? {} : options.adaptiveConcurrency || undefined,
    maxChildrenPerSupervisor: options.maxChildrenPerSupervisor ?? 64,
    inspect: options.inspect,
    logger: options.logger ?? silentLogger,
    onListenerError: options.onListenerError,
    tracer: options.tracer,
    tools,
    outputSchemas: new Map(Object.entries(options.outputSchemas ?? {})),
  };
}

type Declared = readonly (AgentDeclaration | SupervisorDeclaration)[];

/** The first agent of the tree with `runs: 'remote'`. */
function remoteAgent(declared: Declared): AgentDeclaration | undefined {
  for (const d of declared) {
    const found = 'children' in d ? remoteAgent(d.children) : d.runs === 'remote' ? d : undefined;
    if (found) return found;
  }
  return undefined;
}
