// The agent side of an isolated agent: runs in a worker thread or a child process, imports
// the user's handler module, runs each task it is sent with a context whose signal,
// progress, heartbeat and log cross back as messages, and heartbeats from its own event
// loop, so a handler stuck in a busy loop stops the heartbeats and the supervisor sees it.
import { parentPort, workerData } from 'node:worker_threads';
import { type FromAgent, readToAgent, type WireError } from './protocol.js';

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

const wire = (error: unknown): WireError =>
  error instanceof Error
    ? {
        name: error.name,
        message: error.message,
        code: (error as { code?: unknown }).code as string | undefined,
      }
    : { name: 'Thrown', message: jsonOf(error) };

/** A thrown non-Error's JSON (its String() is `[object Object]`), or its String() without one. */
function jsonOf(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

channel.on(async (raw: unknown) => {
  const message = readToAgent(raw);
  if (typeof message === 'string') throw new Error(`bad message from the supervisor: ${message}`);
  if (message.type === 'abort') {
    running.get(message.taskId)?.abort(new Error(message.reason));
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
  };
  try {
    const output = await (handler as (input: unknown, c: typeof ctx) => unknown)(
      message.input,
      ctx,
    );
    post({ v: 1, type: 'result', taskId, output });
  } catch (error) {
    post({ v: 1, type: 'failure', taskId, error: wire(error) });
  } finally {
    running.delete(taskId);
  }
});
post({ v: 1, type: 'ready' });
