// overseer under the benchmarks' standard load: no-op tasks on in-process agents, on the
// real clock, with completions counted from the event stream (no per-task promises).
import { createSystem, type Inspect, type OverseerSystem, type TaskSpec } from '../../src/index.js';
import { Milestones, type QueueThenRun, timeRun } from './milestones.js';

const BATCH = 10_000;

/** How the no-op agents are declared: `replicas` agents of `concurrency` slots each. */
export interface AgentShape {
  readonly replicas: number;
  readonly concurrency: number;
}

/** What a benchmark varies in a system of no-op agents besides their shape. */
export interface NoopSystemOptions {
  /** The agents' work. Default: resolve 1 at once. */
  readonly handler?: (input: never) => unknown;
  /** An inspector to attach (`createSystem({ inspect })`). Default none. */
  readonly inspect?: Inspect;
}

/** A system of no-op agents: `agents` one-slot agents, or the given shape. */
export function noopSystem(
  agents: number | AgentShape,
  { handler = async () => 1, inspect }: NoopSystemOptions = {},
): OverseerSystem {
  const { replicas, concurrency } =
    typeof agents === 'number' ? { replicas: agents, concurrency: 1 } : agents;
  return createSystem({
    agents: [{ id: 'noop', replicas, concurrency, handler }],
    queueCapacity: 2_000_000,
    ...(inspect ? { inspect } : {}),
  });
}

/** Specs of `n` no-op tasks, the priorities spread over 0..9 as p-queue's are. */
export const noopSpecs = (n: number, from = 0): TaskSpec[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'noop', priority: (from + i) % 10 }));

/**
 * Submits `n` tasks in batches (validation is per batch, all or nothing), stopping early
 * once `deadline` (performance.now() ms) has passed. Returns how many were submitted.
 */
export async function submitAll(
  system: OverseerSystem,
  n: number,
  deadline = Number.POSITIVE_INFINITY,
): Promise<number> {
  let from = 0;
  while (from < n && performance.now() < deadline) {
    const size = Math.min(BATCH, n - from);
    await system.submitMany(noopSpecs(size, from));
    from += size;
  }
  return from;
}

/**
 * Wall ms to submit `n` no-op tasks at once and run them all on `agents` (see noopSystem):
 * in one submitMany, or (`oneByOne`) with a submit() per task, as requests arrive in a
 * service; with `inspect`, an inspector attached to the system.
 */
export async function overseerRunAll(
  n: number,
  agents: number | AgentShape,
  {
    oneByOne = false,
    ...systemOptions
  }: { readonly oneByOne?: boolean } & Pick<NoopSystemOptions, 'inspect'> = {},
): Promise<number> {
  const system = noopSystem(agents, systemOptions).start();
  const milestones = new Milestones();
  system.on('task.completed', milestones.tick);
  const start = performance.now();
  if (oneByOne) for (const spec of noopSpecs(n)) void system.submit(spec);
  else await system.submitMany(noopSpecs(n));
  const end = (await milestones.reached(n)) ?? Number.NaN;
  await system.stop({ timeoutMs: 0 });
  return end - start;
}

/**
 * Submits `n` tasks before the agents start (for at most `caps.fillMs`), then starts them
 * and runs the queue to completion (for at most `caps.runMs`, then drains the system);
 * reports what it got to.
 */
export async function overseerQueueThenRun(
  n: number,
  k: number,
  agents: number,
  caps: { readonly fillMs: number; readonly runMs: number },
): Promise<QueueThenRun> {
  // The start of the system (supervision tree, agents online) is in the run below, once per
  // pass whatever n is: timed on an empty system of the same shape, for the curve to leave out.
  const empty = noopSystem(agents);
  const emptyStart = performance.now();
  empty.start();
  const startMs = performance.now() - emptyStart;
  await empty.stop({ timeoutMs: 0 });
  const system = noopSystem(agents);
  const fillStart = performance.now();
  const queued = await submitAll(system, n, fillStart + caps.fillMs);
  const runStart = performance.now();
  const fillMs = runStart - fillStart;
  const milestones = new Milestones(runStart + caps.runMs, () => void system.drain());
  system.on('task.completed', milestones.tick);
  system.start();
  const run = await timeRun(milestones, queued, k, runStart);
  await system.stop({ timeoutMs: 0 });
  return { queued, fillMs, ...run, startMs };
}
