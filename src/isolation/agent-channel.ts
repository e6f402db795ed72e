// Starting the agent side in a worker thread or a child process, and the one channel the
// host talks to either through: post a message, hear messages and the agent's end, and
// terminate it (a busy loop included). Neither keeps the supervisor's process alive.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AgentSideData } from './agent-side.js';

export type Placement = 'thread' | 'process';

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
  placement: Placement,
  data: AgentSideData,
  maxHeapMb: number | undefined,
  on: ChannelEvents,
): AgentChannel {
  const name = `${placement} agent ${data.agentId}`;
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
