// The agent side of an isolated agent: runs in a worker thread or a child process, imports
// the user's handler module, runs each task it is sent with a context whose signal,
// progress, heartbeat and log cross back as messages, and heartbeats from its own event
// loop, so a handler stuck in a busy loop stops the heartbeats and the supervisor sees it.
// Its tool calls cross to the supervisor's side, which runs them and sends the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { type FromAgent, readToAgent, type WireError, wireError } from './protocol.js';

export interface AgentSideData {
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly agentId: string;
  readonly heartbeatIntervalMs: number;
}

// A thread talks through its parent port; a child process through its IPC channel.
const channel = parentPort
  ? {
      data: workerData as AgentSideData,
      post: (m: FromAgent) => parentPort?.postMessage(m),
      on: (fn: (raw: unknown) => void) => parentPort?.on('message', fn),
    }
  : {
      data: JSON.parse(process.argv[2] ?? '{}') as AgentSideData,
      post: (m: FromAgent) => process.send?.(m),
      on: (fn: (raw: unknown) => void) => process.on('message', fn),
    };
if (!parentPort && !process.send) throw new Error('agent-side runs in a worker or a forked child');
// A child whose supervisor is gone has no one to work for.
if (!parentPort) process.on('disconnect', () => process.exit(0));
const { data, post } = channel;

const loaded = (await import(data.moduleUrl)) as Record<string, unknown>;
const handler = loaded[data.exportName];
if (typeof handler !== 'function')
  throw new Error(`export ${data.exportName} of ${data.moduleUrl} is not a function`);

const running = new Map<string, AbortController>();
setInterval(() => post({ v: 1, type: 'heartbeat' }), data.heartbeatIntervalMs);

/** Tool calls awaiting their `tool.result`, by call id. */
const calls = new Map<number, { resolve(output: unknown): void; reject(error: Error): void }>();
let lastCallId = 0;

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

/** The supervisor side's error, with its name and code (ToolTimedOut...), as a plain Error. */
function errorFrom(wire: WireError): Error {
  const error = Object.assign(new Error(wire.message), { code: wire.code });
  error.name = wire.name;
  return error;
}

channel.on(async (raw: unknown) => {
  const message = readToAgent(raw);
  if (typeof message === 'string') throw new Error(`bad message from the supervisor: ${message}`);
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
  const { taskId } = message;
  const controller = new AbortController();
  running.set(taskId, controller);
  const ctx = {
    taskId,
    agentId: data.agentId,
    attempt: message.attempt,
    idempotencyKey: message.idempotencyKey,
    signal: controller.signal,
    progress: (progress: number, note?: string) =>
      post({ v: 1, type: 'progress', taskId, progress, note }),
    heartbeat: () => post({ v: 1, type: 'heartbeat' }),
    log: (text: string, fields?: Readonly<Record<string, unknown>>) =>
      post({ v: 1, type: 'log', taskId, message: text, fields }),
    tools: toolsOf(taskId),
  };
  try {
    const output = await (handler as (input: unknown, c: typeof ctx) => unknown)(
      message.input,
      ctx,
    );
    post({ v: 1, type: 'result', taskId, output });
  } catch (error) {
    post({ v: 1, type: 'failure', taskId, error: wireError(error) });
  } finally {
    running.delete(taskId);
  }
});
post({ v: 1, type: 'ready' });
