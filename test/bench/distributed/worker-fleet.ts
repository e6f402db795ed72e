// The bench side of the worker processes: spawns WORKER_PROCESSES of one system's worker
// file (`node --import tsx <file> <args>`, an IPC channel beside inherited stdio), waits
// until each says it is ready, then until their progress counts reach N, and gathers
// their notes. A worker that exits early fails the run with its exit code.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  type BenchMessage,
  type Observed,
  WORKER_PROCESSES,
  type WorkerMessage,
} from './contract.js';

const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 10_000;

export interface WorkerFleet {
  /** Resolves once the workers together have completed `n` jobs, with their notes. */
  observe(n: number): Promise<Observed>;
  /** Kills any worker still running. */
  close(): Promise<void>;
}

export async function startWorkerFleet(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<WorkerFleet> {
  const children = Array.from({ length: WORKER_PROCESSES }, () =>
    spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    }),
  );
  const completed = children.map(() => 0);
  const reports: Extract<WorkerMessage, { type: 'report' }>[] = [];
  const ready = new Set<number>();
  const reported = new Set<number>();
  let onChange = () => {};
  let failure: Error | undefined;
  children.forEach((child, k) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') ready.add(k);
      if (message.type === 'progress') completed[k] = message.completed;
      if (message.type === 'report') {
        reports.push(message);
        reported.add(k);
      }
      onChange();
    });
    child.once('exit', (code, signal) => {
      if (!reported.has(k))
        failure ??= new Error(`worker ${k} exited (${signal ?? `code ${code}`}) before reporting`);
      onChange();
    });
  });
  const until = (done: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${what} not within ${timeoutMs} ms`)),
        timeoutMs,
      );
      onChange = () => {
        if (failure) reject(failure);
        else if (done()) resolve();
        else return;
        clearTimeout(timer);
      };
      onChange();
    });
  const close = async () => {
    await Promise.all(children.map((child) => stop(child)));
  };
  try {
    await until(() => ready.size === children.length, READY_TIMEOUT_MS, 'workers ready');
  } catch (error) {
    await close();
    throw error;
  }
  const observe = async (n: number): Promise<Observed> => {
    const total = () => completed.reduce((a, b) => a + b, 0);
    await until(() => total() >= n, 3_600_000, `${n} jobs completed`);
    const request: BenchMessage = { type: 'report' };
    for (const child of children) child.send(request);
    await until(() => reports.length === children.length, EXIT_TIMEOUT_MS, 'worker reports');
    return merge(n, reports);
  };
  return { observe, close };
}

function merge(n: number, reports: Extract<WorkerMessage, { type: 'report' }>[]): Observed {
  const startedAt = new Float64Array(n).fill(Number.NaN);
  let repeats = 0;
  let lastCompletedAt = 0;
  for (const report of reports) {
    lastCompletedAt = Math.max(lastCompletedAt, report.lastCompletedAt);
    report.indexes.forEach((i, k) => {
      const at = report.startedAt[k] as number;
      if (Number.isNaN(startedAt[i] as number)) startedAt[i] = at;
      else {
        repeats++;
        startedAt[i] = Math.min(startedAt[i] as number, at);
      }
    });
  }
  return { startedAt, lastCompletedAt, repeats };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  child.kill('SIGTERM');
  await exited;
  clearTimeout(timer);
}
