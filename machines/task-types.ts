// The task machine's vocabulary: its input, context, the events a runtime sends and the
// lifecycle events it emits.
import type { ChildDoneEvent, ChildErrorEvent } from './child-exit.js';
import type { RetryPolicy } from './retry-policy.js';
import type { TaskError } from './task-error.js';

export interface TaskMachineInput {
  readonly taskId: string;
  readonly retry: RetryPolicy;
  /** Per-attempt timeout in ms; absent means none. */
  readonly timeoutMs?: number;
  /** Absolute clock time after which the task must not start. */
  readonly deadline?: number;
  /** Ids of tasks that must complete before this one may run. */
  readonly dependsOn?: readonly string[];
  readonly submittedAt: number;
  /** Seed of the task's jitter sequence, drawn from the system's injected random. */
  readonly seed: number;
  /** Attempts started before this actor existed: a task recovered from a store. Default 0. */
  readonly attemptsSoFar?: number;
}

export interface TaskContext {
  readonly taskId: string;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number | null;
  readonly deadline: number | null;
  /** Dependencies not yet completed. */
  readonly waitingOn: readonly string[];
  /** Attempts started so far. */
  readonly attempts: number;
  readonly agentId: string | null;
  readonly lastError: TaskError | null;
  readonly progress: number | null;
  readonly progressNote: string | null;
  readonly output: unknown;
  readonly rngState: number;
  readonly submittedAt: number;
  readonly assignedAt: number | null;
  readonly startedAt: number | null;
  readonly lastHeartbeatAt: number | null;
  /** When the current retry becomes due, and how long after the failure that is. */
  readonly retryAt: number | null;
  readonly retryDelayMs: number;
  readonly finishedAt: number | null;
}

export type TaskEvent =
  | { readonly type: 'dependency.completed'; readonly taskId: string; readonly at: number }
  | {
      readonly type: 'dependency.failed';
      readonly taskId: string;
      readonly reason: string;
      readonly at: number;
    }
  | { readonly type: 'assign'; readonly agentId: string; readonly at: number }
  | { readonly type: 'unassign'; readonly reason: string; readonly at: number }
  | { readonly type: 'start'; readonly at: number }
  | {
      readonly type: 'progress';
      readonly progress: number;
      readonly note?: string;
      readonly at: number;
    }
  | { readonly type: 'heartbeat'; readonly at: number }
  | { readonly type: 'complete'; readonly output: unknown; readonly at: number }
  | {
      readonly type: 'fail';
      readonly error: TaskError;
      readonly retryable: boolean;
      readonly at: number;
    }
  | { readonly type: 'agent.lost'; readonly agentId: string; readonly at: number }
  | { readonly type: 'cancel'; readonly reason?: string; readonly at: number }
  | { readonly type: 'deadline.reached'; readonly at: number }
  | { readonly type: 'retry.due'; readonly at: number }
  /**
   * The attempt was stopped by a shutdown, not by a failure: the task waits again and the
   * attempt does not count (a restart on the same store runs it again).
   */
  | { readonly type: 'interrupt'; readonly reason: string; readonly at: number }
  /**
   * QoS: the task cannot finish by its due time (its deadline, or its class's SLO from
   * submit), as `reason` explains; `dueAt` and `predictedFinishAt` are clock times.
   */
  | {
      readonly type: 'expire';
      readonly reason: string;
      readonly dueAt: number;
      readonly predictedFinishAt: number;
      readonly at: number;
    }
  /** No agent that could ever run the task is left (the last one exited for good). */
  | {
      readonly type: 'no.capable.agent';
      readonly capabilities: readonly string[];
      readonly resources: Readonly<Record<string, number>>;
      readonly at: number;
    }
  | ChildErrorEvent
  | ChildDoneEvent;

export interface Stamp {
  readonly taskId: string;
  readonly attempt: number;
  readonly at: number;
}
/** Lifecycle events the machine emits; the runtime forwards them to subscribers. */
export type TaskEmitted =
  | ({ readonly type: 'task.ready' } & Stamp)
  | ({ readonly type: 'task.assigned'; readonly agentId: string } & Stamp)
  | ({ readonly type: 'task.started'; readonly agentId: string } & Stamp)
  | ({ readonly type: 'task.completed'; readonly output: unknown } & Stamp)
  | ({
      readonly type: 'task.retrying';
      readonly error: TaskError;
      readonly retryAt: number;
    } & Stamp)
  | ({ readonly type: 'task.failed'; readonly error: TaskError } & Stamp)
  | ({ readonly type: 'task.cancelled'; readonly reason: string } & Stamp)
  /** A shutdown stopped the attempt; `attempt` is the count without it. */
  | ({
      readonly type: 'task.interrupted';
      readonly agentId: string;
      readonly reason: string;
    } & Stamp);
