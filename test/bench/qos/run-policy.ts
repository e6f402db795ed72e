// One run: a real overseer system configured by a policy, on the simulated clock, fed a
// workload batch by batch at its arrival times, until every task has ended. Agents work
// by waiting on the clock for each task's drawn service time; a degraded agent (when
// asked) is slower and fails some attempts. What happened is read from the system's
// events and the handlers' own timings into a RunRecord.
import { seededRandom } from '../../../machines/seeded-random.js';
import {
  createSystem,
  type HandlerContext,
  type OverseerSystem,
  type TaskSpec,
} from '../../../src/index.js';
import { classNamed } from './classes.js';
import type { Policy } from './policies.js';
import { type Outcome, RunRecord, taskId, taskIndex } from './run-record.js';
import { runClock, SimClock } from './sim-clock.js';
import { AGENTS, type Batch, type Workload } from './workload.js';

/** One agent gets worse from `fromMs` on: slower, and failing some attempts (retryable). */
export interface Degradation {
  readonly agentId: string;
  readonly fromMs: number;
  /** Service time multiplier. */
  readonly slowdown: number;
  /** Share of its attempts that fail at the end of their work. */
  readonly failShare: number;
}

export interface RunOptions {
  readonly seed: number;
  readonly degradation?: Degradation;
}

/** Errors that mean "refused by admission": the submission counts as rejected. */
const REFUSALS = new Set(['Overloaded', 'QueueFull']);

export async function runPolicy(
  workload: Workload,
  policy: Policy,
  { seed, degradation }: RunOptions,
): Promise<RunRecord> {
  const started = performance.now();
  const clock = new SimClock();
  const record = new RunRecord(workload);
  const system = createSystem({
    ...policy.options,
    clock,
    random: seededRandom(seed),
    agents: [{ id: 'worker', replicas: AGENTS, handler: workOn(clock, record, degradation, seed) }],
  });
  listen(system, record);
  system.start();
  if (degradation && !system.agents().some((a) => a.id === degradation.agentId))
    throw new Error(`no agent ${degradation.agentId} to degrade`);
  const { batches } = workload;
  let next = 0;
  const arrive = () => {
    const batch = batches[next++] as Batch;
    submit(system, policy, record, batch, clock.now());
    const following = batches[next];
    if (following) clock.setTimeout(arrive, following.atMs - clock.now());
  };
  if (batches[0]) clock.setTimeout(arrive, batches[0].atMs);
  await runClock(
    clock,
    Number.POSITIVE_INFINITY,
    () => next >= batches.length && record.open === 0,
  );
  let stopped = false;
  const stopping = system.stop({ timeoutMs: 0 }).then(() => (stopped = true));
  await runClock(clock, Number.POSITIVE_INFINITY, () => stopped);
  await stopping;
  record.timers = clock.fired;
  record.wallMs = performance.now() - started;
  return record;
}

function listen(system: OverseerSystem, record: RunRecord): void {
  const end = (outcome: Outcome) => (e: { taskId: string; at: number }) =>
    record.ended(taskIndex(e.taskId), e.at, outcome);
  system.on('task.completed', end('completed'));
  system.on('task.failed', end('failed'));
  system.on('task.cancelled', end('cancelled'));
  const trouble = () => record.agentTrouble++;
  system.on('agent.unresponsive', trouble);
  system.on('agent.failed', trouble);
  system.on('agent.limit', (e) => {
    if (e.breaker === 'open') record.breakerOpens++;
  });
}

/** Submits the batch: to its class with `submitBatch`, or with `submitMany` and deadlines. */
function submit(
  system: OverseerSystem,
  policy: Policy,
  record: RunRecord,
  batch: Batch,
  now: number,
): void {
  const cls = classNamed(batch.cls);
  const deadline = now + cls.sloMs;
  const first = record.firstOf[batch.index] as number;
  const specs: TaskSpec[] = batch.serviceMs.map((serviceMs, k) => ({
    id: taskId(first + k),
    type: batch.cls,
    input: serviceMs,
    priority: cls.priority,
    ...(policy.classes ? {} : { deadline }),
  }));
  for (let k = 0; k < specs.length; k++) record.arrived(first + k, now);
  const submitted = policy.classes
    ? system.submitBatch(specs, { qos: batch.cls, deadline })
    : system.submitMany(specs);
  submitted.catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !REFUSALS.has(code))
      record.unexpected.push(error instanceof Error ? error.message : String(error));
    for (let k = 0; k < specs.length; k++) record.ended(first + k, now, 'rejected');
  });
}

/**
 * The agents' handler: waits on the clock for the task's service time (its input), or
 * stops at once when its signal aborts (cancelled, cut at the deadline). Busy time is
 * counted from its start to its end or abort.
 */
function workOn(
  clock: SimClock,
  record: RunRecord,
  degradation: Degradation | undefined,
  seed: number,
) {
  const faults = seededRandom(seed ^ 0x0bad5eed);
  return (serviceMs: number, ctx: HandlerContext) =>
    new Promise<number>((resolve, reject) => {
      const task = taskIndex(ctx.taskId);
      const start = clock.now();
      record.started(task, start);
      const degraded =
        degradation !== undefined &&
        ctx.agentId === degradation.agentId &&
        start >= degradation.fromMs;
      const ms = degraded ? serviceMs * degradation.slowdown : serviceMs;
      const fails = degraded && faults() < degradation.failShare;
      const { signal } = ctx;
      const onAbort = () => {
        clock.clearTimeout(timer);
        record.worked(task, start, clock.now(), true);
        reject(signal.reason);
      };
      const timer = clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        record.worked(task, start, clock.now(), fails);
        if (fails) reject(new Error(`${ctx.agentId} is degraded: attempt failed`));
        else resolve(serviceMs);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}
