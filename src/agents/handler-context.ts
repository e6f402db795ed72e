// The context a handler receives: its signal, the calls through which it reports
// progress, heartbeats and log lines while it runs, and its tools. One object per attempt
// and nothing more: the calls are built on first use (a handler may take them apart,
// `{ progress }`, and call them unbound), and most handlers never touch them.
import type { EventStream } from '../core/event-stream.js';
import type { ToolBox } from '../tools/tool-calls.js';
import type { ToolCaller } from '../tools/tool-runner.js';
import type { HandlerContext } from './agent-declaration.js';
import type { Attempt } from './attempt.js';
import type { BoundAgent } from './bound-agent.js';

/** Where an attempt's reports go: one per runner, shared by every attempt. */
export interface ContextSinks {
  readonly events: EventStream;
  now(): number;
  heartbeat(agent: BoundAgent): void;
  progress(attempt: Attempt, progress: number, note: string | undefined): void;
  /** `ctx.tools`: the tools `granted` to the calling agent, each call tied to `caller`. */
  tools(granted: readonly string[] | undefined, caller: ToolCaller): ToolBox;
}

type Progress = HandlerContext['progress'];
type Log = HandlerContext['log'];

export class AttemptContext implements HandlerContext {
  readonly taskId: string;
  readonly agentId: string;
  readonly attempt: number;
  #progress: Progress | undefined;
  #heartbeat: (() => void) | undefined;
  #log: Log | undefined;
  #tools: ToolBox | undefined;

  constructor(
    private readonly run: Attempt,
    readonly idempotencyKey: string | undefined,
    private readonly agent: BoundAgent,
    private readonly sinks: ContextSinks,
  ) {
    this.taskId = run.taskId;
    this.agentId = run.agentId;
    this.attempt = run.number;
  }

  get signal(): AbortSignal {
    return this.run.signal;
  }

  get progress(): Progress {
    this.#progress ??= (progress, note) => {
      if (!this.#live()) return;
      if (typeof progress !== 'number' || !Number.isFinite(progress)) {
        throw new TypeError(`ctx.progress expects a finite number, got ${String(progress)}`);
      }
      this.sinks.progress(this.run, Math.min(1, Math.max(0, progress)), note);
      this.sinks.heartbeat(this.agent);
    };
    return this.#progress;
  }

  get heartbeat(): () => void {
    this.#heartbeat ??= () => {
      if (this.#live()) this.sinks.heartbeat(this.agent);
    };
    return this.#heartbeat;
  }

  get log(): Log {
    this.#log ??= (message, fields) => {
      const { events } = this.sinks;
      if (!events.wants('task.log')) return;
      events.publish({
        type: 'task.log',
        taskId: this.taskId,
        attempt: this.attempt,
        at: this.sinks.now(),
        message,
        ...(fields === undefined ? {} : { fields }),
      });
    };
    return this.#log;
  }

  get tools(): ToolBox {
    this.#tools ??= this.sinks.tools(this.agent.plan.declaration.tools, this);
    return this.#tools;
  }

  /**
   * Calls from an attempt the task no longer waits for are dropped: a late progress report
   * must not move a task that has been retried elsewhere.
   */
  #live(): boolean {
    return !this.run.aborted && !this.run.settled;
  }
}
