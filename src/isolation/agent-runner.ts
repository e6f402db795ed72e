// The agent side's work, wherever it runs: runs each task it is sent with a context whose
// signal, progress, heartbeat and log cross back as messages, heartbeats on a timer from
// the loop it runs on (so a handler stuck in a busy loop stops the heartbeats and the
// supervisor sees it), and sends a handler's tool calls across, resolving each with its
// `tool.result`. A worker thread or child process runs it (agent-side.ts); a node may run
// it in its own process (`runs: 'inline'`, agent-channel.ts).
import { type FromAgent, readToAgent, type WireError, wireError } from './protocol.js';

export interface AgentSideData {
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly agentId: string;
  readonly heartbeatIntervalMs: number;
}

export type AgentHandler = (input: unknown, ctx: never) => unknown;

export interface AgentRunner {
  /** A message from the supervisor's side; a malformed one throws, naming what was wrong. */
  receive(raw: unknown): void;
  /** Aborts what runs and stops the heartbeats: the agent side is over. */
  stop(reason: string): void;
}

/** The handler `data` names, from its module; throws when the export is not a function. */
export async function loadHandler(data: AgentSideData): Promise<AgentHandler> {
  const loaded = (await import(data.moduleUrl)) as Record<string, unknown>;
  const handler = loaded[data.exportName];
  if (typeof handler !== 'function')
    throw new Error(`export ${data.exportName} of ${data.moduleUrl} is not a function`);
  return handler as AgentHandler;
}

/** Starts the agent side: heartbeats begin, and `ready` is posted. */
export function startAgentRunner(
  data: AgentSideData,
  handler: AgentHandler,
  post: (message: FromAgent) => void,
  options: { readonly unrefTimer?: boolean } = {},
): AgentRunner {
  /** Each running task's abort: its controller is made only once its handler asks for it. */
  const running = new Map<string, RunAbort>();
  /** Tool calls awaiting their `tool.result`, by call id. */
  const calls = new Map<number, { resolve(output: unknown): void; reject(error: Error): void }>();
  let lastCallId = 0;
  let stopped = false;
  const heartbeat = setInterval(() => post({ v: 1, type: 'heartbeat' }), data.heartbeatIntervalMs);
  if (options.unrefTimer) heartbeat.unref();

  /** `ctx.tools` on this side: every name a call that crosses to the supervisor's side. */
  const toolsOf = (taskId: string) =>
    new Proxy(
      {},
      {
        get: (_target, tool) =>
          typeof tool !== 'string' || tool === 'then' || tool === 'toJSON'
            ? undefined
            : (input: unknown) =>
                new Promise((resolve, reject) => {
                  const callId = ++lastCallId;
                  calls.set(callId, { resolve, reject });
                  try {
                    post({ v: 1, type: 'tool.call', taskId, callId, tool, input });
                  } catch (error) {
                    calls.delete(callId);
                    reject(error); // an input that cannot be cloned fails its call
                  }
                }),
      },
    );

  const run = async (taskId: string, attempt: number, key: string | undefined, input: unknown) => {
    const abort = new RunAbort();
    running.set(taskId, abort);
    let tools: object | undefined;
    // The signal and the tools are made when the handler first reads them: most handlers
    // read neither, and a node runs thousands of tasks a second.
    const ctx = {
      taskId,
      agentId: data.agentId,
      attempt,
      idempotencyKey: key,
      get signal(): AbortSignal {
        return abort.signal;
      },
      progress: (progress: number, note?: string) =>
        post({ v: 1, type: 'progress', taskId, progress, note }),
      heartbeat: () => post({ v: 1, type: 'heartbeat' }),
      log: (text: string, fields?: Readonly<Record<string, unknown>>) =>
        post({ v: 1, type: 'log', taskId, message: text, fields }),
      get tools(): object {
        tools ??= toolsOf(taskId);
        return tools;
      },
    };
    try {
      const output = await (handler as (input: unknown, c: typeof ctx) => unknown)(input, ctx);
      if (!stopped) post({ v: 1, type: 'result', taskId, output });
    } catch (error) {
      if (!stopped) post({ v: 1, type: 'failure', taskId, error: wireError(error) });
    } finally {
      running.delete(taskId);
    }
  };

  post({ v: 1, type: 'ready' });
  return {
    receive(raw) {
      const message = readToAgent(raw);
      if (typeof message === 'string')
        throw new Error(`bad message from the supervisor: ${message}`);
      if (stopped) return;
      if (message.type === 'abort') {
        running.get(message.taskId)?.abort(new Error(message.reason));
        return;
      }
      if (message.type === 'tool.result') {
        const call = calls.get(message.callId);
        calls.delete(message.callId);
        if (message.error) call?.reject(errorFrom(message.error));
        else call?.resolve(message.output);
        return;
      }
      void run(message.taskId, message.attempt, message.idempotencyKey, message.input);
    },
    stop(reason) {
      if (stopped) return;
      stopped = true;
      clearInterval(heartbeat);
      for (const abort of running.values()) abort.abort(new Error(reason));
      for (const call of calls.values()) call.reject(new Error(reason));
      calls.clear();
    },
  };
}

/** A run's abort: the AbortController is made when its signal is first read, or on abort. */
class RunAbort {
  #controller: AbortController | undefined;

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  abort(reason: Error): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }
}

/** The supervisor side's error, with its name and code (ToolTimedOut...), as a plain Error. */
function errorFrom(wire: WireError): Error {
  const error = Object.assign(new Error(wire.message), { code: wire.code });
  error.name = wire.name;
  return error;
}
