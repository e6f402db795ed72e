// What a user declares: agents (a handler or an XState actor logic, capabilities,
// resources, slots, restart type) and supervisors grouping them into a tree.
import type { AnyActorLogic } from 'xstate';
import type { RestartStrategy, RestartType } from '../../machines/child-spec.js';
import type { Resources } from '../../machines/resources.js';
import type { RestartIntensity } from '../../machines/restart-intensity.js';
import type { ToolBox } from '../tools/tool-calls.js';

/**
 * What a handler gets besides its input. `Tools` types `ctx.tools`: give it
 * `ToolCalls<typeof tools>` to call the system's tools with their schemas' types.
 */
export interface HandlerContext<Tools extends ToolBox = ToolBox> {
  readonly taskId: string;
  readonly agentId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly idempotencyKey: string | undefined;
  /** Fires on cancellation, timeout, or loss of the agent. */
  readonly signal: AbortSignal;
  /** Report progress in [0, 1] with an optional note; also counts as a heartbeat. */
  progress(progress: number, note?: string): void;
  /** Prove the handler is alive; needed in `heartbeat: 'manual'` agents for long work. */
  heartbeat(): void;
  log(message: string, fields?: Readonly<Record<string, unknown>>): void;
  /**
   * The tools the agent was granted (`tools` in its declaration), by name: each call takes
   * the tool's input and resolves to its checked output, and is aborted with this attempt.
   * Any other name fails with ToolNotGranted.
   */
  readonly tools: Tools;
}

export type TaskHandler<Input = unknown, Output = unknown> = (
  input: Input,
  ctx: HandlerContext,
) => Promise<Output> | Output;

export interface AgentDeclaration {
  /** Agent id; with `replicas` above 1, the prefix of `<id>-1`, `<id>-2`... */
  readonly id: string;
  readonly capabilities?: readonly string[];
  /** Named numeric limits, e.g. `{ cpu: 2, gpu: 0, tokens: 8000 }`. Default none. */
  readonly resources?: Resources;
  /** Tasks run at once. Default 1. */
  readonly concurrency?: number;
  /** How many identical agents to run, each its own supervised child. Default 1. */
  readonly replicas?: number;
  /** OTP restart type. Default `permanent`. */
  readonly restart?: RestartType;
  /** Time to drain on shutdown before being stopped, in ms. Default 5000. */
  readonly shutdownTimeoutMs?: number;
  /**
   * `auto` (default): the runtime heartbeats for the agent while its handlers run.
   * `manual`: handlers must call `ctx.heartbeat()` or `ctx.progress()` within the heartbeat
   * timeout, so a stuck handler is detected and its agent restarted.
   */
  readonly heartbeat?: 'auto' | 'manual';
  /** Names of the system's tools (`createSystem({ tools })`) its handler may call as `ctx.tools.<name>`. Default none. */
  readonly tools?: readonly string[];
  /**
   * The work: an async handler, or an XState actor logic run once per task (input in,
   * output out). The handler names its own input type: `never` here accepts any of them;
   * declared as a method so a handler may also type its context (`HandlerContext<ToolCalls<...>>`).
   */
  handler?(input: never, ctx: HandlerContext): unknown;
  readonly logic?: AnyActorLogic;
  /**
   * Where the work runs: `inline` (default) in the system's thread; `thread`, a worker
   * thread of its own; `process`, a child process of its own; or `remote`, on a node of
   * the cluster (`overseer node`, with a PostgreSQL store: docs/distributed.md) that exports
   * the handler under `exportName` (default: the agent's id). An isolated agent's
   * handler stuck in a busy loop stops its heartbeats and its thread or process is killed
   * and restarted, and a crash or an exhausted heap fails only that agent.
   */
  readonly runs?: 'inline' | 'thread' | 'process' | 'remote';
  /** With `runs: 'thread' | 'process'`: the module (a path or file URL) exporting the handler. */
  readonly module?: string;
  /** With `runs: 'thread' | 'process'`: the handler's export in `module`. Default `default`. */
  readonly exportName?: string;
  /**
   * With `runs: 'thread' | 'process'`: the heap limit in MB (a thread's resourceLimits, a
   * process's --max-old-space-size); exceeding it fails the agent with a reason that says so.
   */
  readonly maxHeapMb?: number;
  /**
   * With `runs: 'thread' | 'process'`: how often the agent side heartbeats, in real ms.
   * Default: the system's `heartbeatIntervalMs`.
   */
  readonly heartbeatIntervalMs?: number;
}

export interface SupervisorDeclaration {
  /** Supervisor id, unique in the system. */
  readonly supervisor: string;
  /** Default one_for_one. */
  readonly strategy?: RestartStrategy;
  /** Default: the system's supervision intensity. */
  readonly intensity?: RestartIntensity;
  readonly restart?: RestartType;
  readonly children: readonly (AgentDeclaration | SupervisorDeclaration)[];
}

export const isSupervisorDeclaration = (
  declaration: AgentDeclaration | SupervisorDeclaration,
): declaration is SupervisorDeclaration => 'supervisor' in declaration;
