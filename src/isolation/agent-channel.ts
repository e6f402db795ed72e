// Starting the agent side in a worker thread or a child process, and the one channel the
// host talks to either through: post a message, hear messages and the agent's end, and
// terminate it (a busy loop included). Neither keeps the supervisor's process alive.
// A node may also run the agent side in its own process (`inline`): no thread hop, at the
// price of isolation (a handler that hangs stalls the node, whose agents then stop
// heartbeating and are restarted elsewhere).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type AgentSideData, loadHandler, startAgentRunner } from './agent-runner.js';

export type Placement = 'thread' | 'process';
/** Where a node runs an agent: isolated, or in the node's own process. */
export type NodePlacement = Placement | 'inline';

export interface AgentChannel {
  post(message: unknown): void;
  terminate(): void;
}

export interface ChannelEvents {
  message(raw: unknown): void;
  /** The agent side ended or failed, with a reason that names why. */
  ended(reason: string): void;
}

// Built, the agent side is plain JavaScript. Run from source (tests, tsx), tsx's loader is
// registered first, so it and the user's module may be TypeScript.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(FROM_SOURCE ? './agent-side.ts' : './agent-side.js', import.meta.url);
const BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ENTRY.href)}); })`;

export function openAgentChannel(
  placement: NodePlacement,
  data: AgentSideData,
  maxHeapMb: number | undefined,
  on: ChannelEvents,
): AgentChannel {
  const name = `${placement} agent ${data.agentId}`;
  if (placement === 'inline') return openInlineChannel(name, data, on);
  const limit = `maxHeapMb ${maxHeapMb ?? 'default'}`;
  if (placement === 'thread') {
    const worker = new Worker(FROM_SOURCE ? BOOTSTRAP : ENTRY, {
      eval: FROM_SOURCE,
      workerData: data,
      ...(maxHeapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } }),
    });
    worker.unref();
    worker.on('message', on.message);
    worker.on('error', (error: Error & { code?: string }) =>
      on.ended(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `${name} exceeded its heap limit (${limit})`
          : `${name} crashed: ${error.message}`,
      ),
    );
    worker.on('exit', (code) => on.ended(`${name} exited with code ${code}`));
    return { post: (m) => worker.postMessage(m), terminate: () => void worker.terminate() };
  }
  const child = fork(fileURLToPath(ENTRY), [JSON.stringify(data)], {
    execArgv: [
      ...(FROM_SOURCE ? ['--import', 'tsx'] : []),
      ...(maxHeapMb === undefined ? [] : [`--max-old-space-size=${maxHeapMb}`]),
    ],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_096);
  });
  child.unref();
  child.channel?.unref();
  child.on('message', on.message);
  child.on('error', (error) => on.ended(`${name} failed: ${error.message}`));
  child.on('exit', (code, signal) =>
    on.ended(
      /heap out of memory/i.test(stderr)
        ? `${name} exceeded its memory ceiling (${limit})`
        : `${name} exited with ${signal ?? `code ${code}`}`,
    ),
  );
  return {
    post: (m) => {
      if (child.connected) child.send(m as object);
    },
    terminate: () => void child.kill('SIGKILL'),
  };
}

/**
 * The agent side in this process: what is posted before its module has loaded waits for it;
 * messages cross as they are (they come from JSON and go to JSON on a node).
 */
function openInlineChannel(name: string, data: AgentSideData, on: ChannelEvents): AgentChannel {
  let runner: ReturnType<typeof startAgentRunner> | undefined;
  let waiting: unknown[] = [];
  let over = false;
  const end = (reason: string) => {
    if (over) return;
    over = true;
    runner?.stop(reason);
    on.ended(reason);
  };
  loadHandler(data).then(
    (handler) => {
      if (over) return;
      runner = startAgentRunner(data, handler, (m) => on.message(m), { unrefTimer: true });
      const queued = waiting;
      waiting = [];
      for (const m of queued) post(m);
    },
    (error: Error) => end(`${name} failed to load: ${error.message}`),
  );
  const post = (m: unknown) => {
    if (over) return;
    if (!runner) {
      waiting.push(m);
      return;
    }
    try {
      runner.receive(m);
    } catch (error) {
      end(`${name} crashed: ${(error as Error).message}`);
    }
  };
  return {
    post,
    terminate: () => {
      if (over) return;
      over = true;
      runner?.stop(`${name} terminated`);
    },
  };
}
