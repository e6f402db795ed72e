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
  | ({ readonly type: 'system.drained' } & At);

export type OverseerEventType = OverseerEvent['type'];
export type OverseerEventOf<T extends OverseerEventType> = Extract<OverseerEvent, { type: T }>;
