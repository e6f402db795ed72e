// The agent machine's vocabulary: its input, context, the events it takes and the events
// it emits.
import type { ChildDoneEvent, ChildErrorEvent, ChildExit } from './child-exit.js';
import type { Resources } from './resources.js';

export interface AgentMachineInput {
  readonly agentId: string;
  readonly capabilities: readonly string[];
  /** Named numeric resource limits, e.g. `{ cpu: 2, tokens: 8000 }`. */
  readonly resources?: Resources;
  /** Tasks the agent may run at once. Default 1. */
  readonly slots?: number;
  /** Silence after which the agent is unresponsive, in ms. */
  readonly heartbeatTimeoutMs: number;
}

export interface AgentContext {
  readonly agentId: string;
  readonly capabilities: readonly string[];
  readonly limits: Resources;
  readonly inUse: Resources;
  readonly slots: number;
  readonly heartbeatTimeoutMs: number;
  /** Tasks held, with the resources each reserved. */
  readonly tasks: Readonly<Record<string, Resources>>;
  readonly lastHeartbeatAt: number | null;
  readonly exit: ChildExit | null;
}

export type AgentEvent =
  | { readonly type: 'ready'; readonly at: number }
  | { readonly type: 'start.failed'; readonly message: string; readonly at: number }
  | {
      readonly type: 'task.assign';
      readonly taskId: string;
      readonly resources?: Resources;
      readonly at: number;
    }
  | { readonly type: 'task.release'; readonly taskId: string; readonly at: number }
  /**
   * Release one task and take the next in one step: what an agent does when it finishes a
   * task while more wait. It stays busy throughout (no idle/busy flap); the finished task
   * proves it alive, so the handover counts as a heartbeat.
   */
  | {
      readonly type: 'task.handover';
      readonly releaseTaskId: string;
      readonly taskId: string;
      readonly resources?: Resources;
      readonly at: number;
    }
  | { readonly type: 'heartbeat'; readonly at: number }
  | { readonly type: 'heartbeat.missed' }
  | { readonly type: 'crash'; readonly message: string; readonly at: number }
  | { readonly type: 'terminate'; readonly at: number }
  | { readonly type: 'drain' }
  | { readonly type: 'stop' }
  | ChildErrorEvent
  | ChildDoneEvent;

export type AgentEmitted =
  | { readonly type: 'agent.ready'; readonly agentId: string }
  | { readonly type: 'agent.busy'; readonly agentId: string; readonly tasks: number }
  | { readonly type: 'agent.idle'; readonly agentId: string }
  | { readonly type: 'agent.rejected'; readonly agentId: string; readonly taskId: string }
  | {
      readonly type: 'agent.unresponsive';
      readonly agentId: string;
      readonly tasks: readonly string[];
    }
  | {
      readonly type: 'agent.failed';
      readonly agentId: string;
      readonly exit: ChildExit;
      readonly tasks: readonly string[];
    }
  | { readonly type: 'agent.stopped'; readonly agentId: string }
  | {
      readonly type: 'agent.child.error';
      readonly agentId: string;
      readonly childId: string;
      readonly message: string;
    };
