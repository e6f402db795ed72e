// The agent side of an isolated agent: the entry a worker thread or child process runs. It
// imports the user's handler module and runs the agent side (agent-runner.ts) over its
// parent port or IPC channel; a message the runner refuses fails the agent.
import { parentPort, workerData } from 'node:worker_threads';
import { type AgentSideData, loadHandler, startAgentRunner } from './agent-runner.js';
import type { FromAgent } from './protocol.js';

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

const runner = startAgentRunner(channel.data, await loadHandler(channel.data), channel.post);
channel.on((raw) => runner.receive(raw));
