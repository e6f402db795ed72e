// overseer under the benchmarks' standard load: no-op tasks on in-process agents, on the
// real clock, with completions counted from the event stream (no per-task promises).
import { createSystem, type OverseerSystem, type TaskSpec } from '../../src/index.js';

export function noopSystem(
  agents: number,
  handler: (input: never) => unknown = async () => 1,
): OverseerSystem {
  return createSystem({
    agents: [{ id: 'noop', replicas: agents, handler }],
    queueCapacity: 2_000_000,
  });
}

const specs = (n: number, from = 0): TaskSpec[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'noop', priority: (from + i) % 10 }));

/** Submits `n` tasks in batches (validation is per batch, all or nothing). */
export async function submitAll(system: OverseerSystem, n: number): Promise<void> {
  for (let from = 0; from < n; from += 10_000)
    await system.submitMany(specs(Math.min(10_000, n - from), from));
}

/** Resolves once `k` tasks have completed from now on. */
export function completions(system: OverseerSystem, k: number): Promise<void> {
  return new Promise((resolve) => {
    let done = 0;
    const off = system.on('task.completed', () => {
      if (++done === k) {
        off();
        resolve();
      }
    });
  });
}

/** Wall ms to submit `n` no-op tasks at once and run them all on `agents` agents. */
export async function overseerRunAll(n: number, agents: number): Promise<number> {
  const system = noopSystem(agents).start();
  const start = performance.now();
  const done = completions(system, n);
  await submitAll(system, n);
  await done;
  const ms = performance.now() - start;
  await system.stop({ timeoutMs: 0 });
  return ms;
}

/** Wall ms to submit `n` tasks (before the agents start), then to run the first `k`. */
export async function overseerRunFirst(
  n: number,
  k: number,
  agents: number,
): Promise<{ fillMs: number; runMs: number }> {
  const system = noopSystem(agents);
  const fillStart = performance.now();
  await submitAll(system, n);
  const fillMs = performance.now() - fillStart;
  const done = completions(system, k);
  const runStart = performance.now();
  system.start();
  await done;
  const runMs = performance.now() - runStart;
  await system.stop({ timeoutMs: 0 });
  return { fillMs, runMs };
}
