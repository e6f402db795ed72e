// Every event a system publishes. Each carries the ids it concerns, the attempt where one
// applies, and `at`: the clock time it happened. A task's lifecycle events are its
// machine's own emitted events.
import type { ChildExit } from '../../machines/agent.js';
import type { TaskEmitted } from '../../machines/task-types.js';

export interface At {
  readonly at: number;
}
export interface TaskRef extends At {
  readonly taskId: string;
  readonly attempt: number;
}

export type OverseerEvent =
  | ({
      readonly type: 'task.submitted';
      readonly taskType: string;
      readonly priority: number;
      readonly capabilities: readonly string[];
      readonly resources: Readonly<Record<string, number>>;
      readonly dependsOn: readonly string[];
      readonly deadline: number | undefined;
      readonly maxAttempts: number;
    } & TaskRef)
  /** The task machine's lifecycle events, forwarded as it emitted them (machines/task-types.ts). */
  | TaskEmitted
  | ({
      readonly type: 'task.progress';
      readonly agentId: string;
      readonly progress: number;
      readonly note?: string;
    } & TaskRef)
  | ({ readonly type: 'task.log'; readonly message: string; readonly fields?: unknown } & TaskRef)
  | ({
      readonly type: 'agent.registered';
      readonly agentId: string;
      readonly capabilities: readonly string[];
      readonly resources: Readonly<Record<string, number>>;
      readonly slots: number;
    } & At)
  | ({ readonly type: 'agent.busy'; readonly agentId: string; readonly tasks: number } & At)
  | ({ readonly type: 'agent.idle'; readonly agentId: string } & At)
  | ({
      readonly type: 'agent.unresponsive';
      readonly agentId: string;
      readonly tasks: readonly string[];
    } & At)
  | ({ readonly type: 'agent.failed'; readonly agentId: string; readonly exit: ChildExit } & At)
  | ({
      readonly type: 'agent.restarted';
      readonly agentId: string;
      readonly supervisorId: string;
    } & At)
  /** The agent left the system for good: removed, drained, or exited and not restarted. */
  | ({ readonly type: 'agent.removed'; readonly agentId: string; readonly reason: string } & At)
  | ({
      readonly type: 'supervisor.escalated';
      readonly supervisorId: string;
      /** The child whose exit exceeded the intensity: an agent or supervisor id, no prefix. */
      readonly childId: string;
      readonly childKind: 'agent' | 'supervisor';
      readonly exit: ChildExit;
    } & At)
  /** The store refused or lost a lifecycle write: what it was about, and the store's error. */
  | ({
      readonly type: 'store.write.failed';
      readonly taskId: string;
      readonly what: string;
      readonly error: string;
    } & At)
  /** Another live system took the store over (this one stalled past its claim): it fails. */
  | ({ readonly type: 'store.lost'; readonly holder: string } & At)
  | ({ readonly type: 'system.drained' } & At)
  /**
   * A submission refused by QoS admission (nothing of it was stored): `qos` is the class
   * asked for, `full` the class that refused, `tasks` how many tasks the submission had.
   */
  | ({
      readonly type: 'qos.rejected';
      readonly qos: string;
      readonly full: string;
      readonly reason: QosRejection;
      readonly tasks: number;
      readonly retryAfterMs: number;
    } & At)
  /** A QoS class's controller changed mode (machines/class-controller.ts). */
  | ({
      readonly type: 'qos.mode';
      readonly qos: string;
      readonly mode: 'normal' | 'overloaded' | 'shedding';
      /** The queueing delay sample that moved it, ms. */
      readonly delayMs: number;
    } & At)
  /** An agent's adaptive limit or circuit breaker changed (machines/agent-limiter.ts). */
  | ({
      readonly type: 'agent.limit';
      readonly agentId: string;
      /** Slots it may hold now: between 1 and its concurrency, 0 while its breaker is open. */
      readonly limit: number;
      readonly breaker: 'closed' | 'open' | 'half-open';
    } & At)
  /**
   * A handler's tool call ended (src/tools/): `ms` from the call to its end (waits for the
   * tool's concurrency, rate and retry backoff included), `runs` how often its handler ran,
   * and for any outcome but `ok` the error's code and message.
   */
  | ({
      readonly type: 'tool.called';
      readonly tool: string;
      readonly agentId: string;
      readonly ms: number;
      readonly runs: number;
      readonly outcome: ToolOutcome;
      readonly error?: { readonly code: string; readonly message: string };
    } & TaskRef);

/**
 * How a tool call ended: `ok`; `error` (its handler threw or returned invalid output);
 * `timeout` (its last run outlived the tool's timeoutMs); `rejected` before any run (input
 * refused by the schema, tool not granted, over the rate under `overRate: 'reject'`); or
 * `cancelled` (the calling attempt was aborted).
 */
export type ToolOutcome = 'ok' | 'error' | 'timeout' | 'rejected' | 'cancelled';

/**
 * Why QoS admission refused work: its class was at its queue cap, the predicted finish
 * was past its SLO or deadline, or the class was shedding load.
 */
export type QosRejection = 'queue-cap' | 'predicted-late' | 'shedding';

export type OverseerEventType = OverseerEvent['type'];
export type OverseerEventOf<T extends OverseerEventType> = Extract<OverseerEvent, { type: T }>;
