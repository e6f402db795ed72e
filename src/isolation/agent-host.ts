// The supervisor side of one isolated agent: its thread or process, the attempts it runs,
// and what it says. A result or failure settles its attempt; a heartbeat is passed on;
// anything the protocol does not allow, an uncaught error, exceeding the heap limit or an
// unexpected exit breaks the agent: every attempt it holds fails with AgentCrash naming why,
// so its supervisor restarts it. The thread or process never outlives the host. A tool call
// runs here, through the attempt's `ctx.tools`, and its end is sent back.
import type { HandlerContext } from '../agents/agent-declaration.js';
import { AgentCrash, NonRetryableError, ProtocolError, ToolNotGranted } from '../errors/index.js';
import {
  type AgentChannel,
  type ChannelEvents,
  openAgentChannel,
  type Placement,
} from './agent-channel.js';
import type { AgentSideData } from './agent-runner.js';
import { checkFromAgent, type FromAgent, type WireError, wireError } from './protocol.js';

export interface AgentHostOptions {
  readonly placement: Placement | 'remote';
  /** With placement `remote`: opens its channel through the cluster (src/cluster/). */
  readonly openRemote?: ((data: AgentSideData, on: ChannelEvents) => AgentChannel) | undefined;
  readonly agentId: string;
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly heartbeatIntervalMs: number;
  readonly maxHeapMb: number | undefined;
  onHeartbeat(): void;
  /** Its side loaded the agent's module and takes work: the first `ready` message. */
  onReady(): void;
  /** The agent is broken (nothing was running, or besides failing what was). */
  onBroken(reason: string): void;
}

interface Pending {
  readonly ctx: HandlerContext;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class AgentHost {
  readonly #channel: AgentChannel;
  readonly #pending = new Map<string, Pending>();
  #broken: string | undefined;

  constructor(private readonly o: AgentHostOptions) {
    const data = {
      moduleUrl: o.moduleUrl,
      exportName: o.exportName,
      agentId: o.agentId,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
    };
    const events: ChannelEvents = {
      message: (raw) => this.#onMessage(raw),
      ended: (reason) => this.#break(reason),
    };
    const { placement, openRemote } = o;
    if (placement === 'remote' && !openRemote)
      throw new Error(`remote agent ${o.agentId} has no cluster to run in`);
    this.#channel =
      placement === 'remote'
        ? (openRemote as NonNullable<typeof openRemote>)(data, events)
        : openAgentChannel(placement, data, o.maxHeapMb, events);
  }

  run(
    taskId: string,
    attempt: number,
    idempotencyKey: string | undefined,
    input: unknown,
    ctx: HandlerContext,
  ): Promise<unknown> {
    if (this.#broken !== undefined) return Promise.reject(new AgentCrash(this.#broken));
    return new Promise((resolve, reject) => {
      this.#pending.set(taskId, { ctx, resolve, reject });
      try {
        this.#channel.post({ v: 1, type: 'run', taskId, attempt, idempotencyKey, input });
      } catch (error) {
        this.#pending.delete(taskId);
        reject(error); // an input that cannot be cloned fails its attempt, not the agent
      }
    });
  }

  abort(taskId: string, reason: string): void {
    if (this.#broken === undefined && this.#pending.has(taskId))
      this.#channel.post({ v: 1, type: 'abort', taskId, reason });
  }

  /** Stops the worker (a busy loop included); what it held fails with AgentCrash. */
  terminate(reason = 'terminated by its supervisor'): void {
    this.#break(`${this.o.placement} agent ${this.o.agentId} ${reason}`, false);
    this.#channel.terminate();
  }

  #onMessage(raw: unknown): void {
    const message = checkFromAgent(this.o.agentId, raw);
    if (message instanceof ProtocolError) {
      this.#break(`${this.o.placement} ${message.message}`);
      this.#channel.terminate();
      return;
    }
    if (message.type === 'ready') {
      this.o.onReady();
      return;
    }
    if (message.type === 'heartbeat') {
      this.o.onHeartbeat();
      return;
    }
    const pending = this.#pending.get(message.taskId);
    if (!pending) return; // a late message of an attempt already settled
    if (message.type === 'tool.call') this.#callTool(pending.ctx, message);
    else if (message.type === 'progress') pending.ctx.progress(message.progress, message.note);
    else if (message.type === 'log') pending.ctx.log(message.message, message.fields);
    else {
      this.#pending.delete(message.taskId);
      if (message.type === 'result') pending.resolve(message.output);
      else pending.reject(errorOf(message.error));
    }
  }

  /** Runs the call under the attempt's context (its grants, limits and signal); sends back how it ended. */
  #callTool(ctx: HandlerContext, call: Extract<FromAgent, { type: 'tool.call' }>): void {
    const { taskId, callId } = call;
    const reply = (ended: { output: unknown } | { error: WireError }) => {
      if (this.#broken !== undefined) return;
      try {
        this.#channel.post({ v: 1, type: 'tool.result', taskId, callId, ...ended });
      } catch (error) {
        // An output that cannot be cloned fails the call, not the agent.
        this.#channel.post({ v: 1, type: 'tool.result', taskId, callId, error: wireError(error) });
      }
    };
    const tool = ctx.tools[call.tool];
    Promise.resolve()
      .then(() =>
        tool
          ? tool(call.input)
          : Promise.reject(new ToolNotGranted(this.o.agentId, call.tool, Object.keys(ctx.tools))),
      )
      .then(
        (output) => reply({ output }),
        (error: unknown) => reply({ error: wireError(error) }),
      );
  }

  #break(reason: string, report = true): void {
    if (this.#broken !== undefined) return;
    this.#broken = reason;
    const held = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of held) pending.reject(new AgentCrash(reason));
    if (report && held.length === 0) this.o.onBroken(reason);
  }
}

function errorOf(wire: WireError): Error {
  if (wire.code === 'NonRetryable') return new NonRetryableError(wire.message);
  if (wire.code === 'AgentCrash') return new AgentCrash(wire.message);
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}
