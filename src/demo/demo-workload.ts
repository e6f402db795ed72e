// The demo workload `npm start` runs on the real runtime: agents with different
// capabilities, a few hundred tasks of mixed priority in three QoS classes (demo-plan.ts),
// injected handler failures and one agent that hangs (its handler never returns nor
// heartbeats), all on a simulated clock so the run is fast and the same for every seed.
import { SimulatedClock } from 'xstate';
import { seededRandom } from '../../machines/seeded-random.js';
import type { AgentDeclaration, HandlerContext } from '../agents/agent-declaration.js';
import type { OverseerEvent } from '../core/system-events.js';
import type { Store } from '../store/store.js';
import { createSystem } from '../system/create-system.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { SystemOptions } from '../system/system-options.js';
import { DEMO_QOS, demoPlan } from './demo-plan.js';
import { demoSubmitter } from './demo-submitter.js';

export interface DemoOptions {
  readonly tasks: number;
  /** Agents in all: 2 GPU, 1 IO (which hangs once), the rest CPU. Default 7. */
  readonly agents?: number;
  readonly failureRate: number;
  readonly seed: number;
  /** Observability hooks passed through to the system (inspector, logger, tracer). */
  readonly observe?: Pick<SystemOptions, 'inspect' | 'logger' | 'tracer'>;
  /** A durable store: a run that finds tasks in it resumes them instead of submitting anew. */
  readonly store?: Store;
  /** Real milliseconds to wait per 10 ms simulated tick, so a watcher can follow. Default 0. */
  readonly paceMs?: number;
  /**
   * Where the `io` agent, whose first task hangs, runs. `thread`: its handler spins in a
   * worker thread, which goes silent and is killed and restarted; the run is then paced
   * (at least 5 ms a tick) so the thread's real-time heartbeats keep up with the clock.
   * `inline` (default): its handler never settles and never heartbeats.
   */
  readonly hungAgent?: 'inline' | 'thread';
}

export interface DemoResult {
  readonly system: OverseerSystem;
  readonly clock: SimulatedClock;
  readonly latenciesMs: number[];
  readonly retried: number;
  /** Tasks that failed with `DeadlineExceeded`: past their deadline, or expired by their class. */
  readonly deadlineExceeded: number;
  /** Tasks of submissions the system refused (`Overloaded`). */
  readonly rejected: number;
}

export async function runDemo(
  options: DemoOptions,
  onTick?: (system: OverseerSystem, now: number) => void,
  onEvent?: (event: OverseerEvent) => void,
): Promise<DemoResult> {
  const random = seededRandom(options.seed);
  const clock = new SimulatedClock();
  const work = (meanMs: number) => async (_input: unknown, ctx: HandlerContext) => {
    await delay(clock, Math.round(meanMs * (0.5 + random())), ctx.signal);
    if (random() < options.failureRate) throw new Error('injected failure: upstream returned 503');
    return { by: ctx.agentId, attempt: ctx.attempt };
  };
  let hung = false;
  const isolated = options.hungAgent === 'thread';
  // Paced at 5 ms a 10 ms tick, simulated time runs at most 2x real time: the thread's
  // heartbeats (every 50 real ms) come at least every 100 simulated ms, and the 2,000 ms
  // heartbeat timeout leaves the thread a real second to boot.
  const paceMs = isolated ? Math.max(5, options.paceMs ?? 0) : (options.paceMs ?? 0);
  const ioAgent: AgentDeclaration = isolated
    ? {
        id: 'io',
        capabilities: ['io'],
        concurrency: 4,
        runs: 'thread',
        module: new URL(
          import.meta.url.endsWith('.ts') ? './io-agent.ts' : './io-agent.js',
          import.meta.url,
        ).href,
        heartbeatIntervalMs: 50,
      }
    : {
        id: 'io',
        capabilities: ['io'],
        heartbeat: 'manual',
        concurrency: 4,
        // The first task it gets hangs without a heartbeat: the supervisor must notice.
        handler: async (input: unknown, ctx: HandlerContext) => {
          if (!hung) {
            hung = true;
            return new Promise(() => undefined);
          }
          ctx.heartbeat();
          return work(25)(input, ctx);
        },
      };
  const agents: AgentDeclaration[] = [
    {
      id: 'cpu',
      replicas: Math.max(1, (options.agents ?? 7) - 3),
      capabilities: ['cpu'],
      concurrency: 2,
      handler: work(40),
    },
    {
      id: 'gpu',
      replicas: 2,
      capabilities: ['cpu', 'gpu'],
      resources: { vram: 24 },
      handler: work(120),
    },
    ioAgent,
  ];
  // A resumed run has its first submissions stored already (each was accepted whole).
  const stored = options.store?.load(0).tasks.length ?? 0;
  const system = createSystem({
    ...options.observe,
    ...(options.store ? { store: options.store } : {}),
    clock,
    random,
    agents,
    heartbeatTimeoutMs: 2_000,
    heartbeatIntervalMs: 500,
    qos: DEMO_QOS,
    // Agents that keep failing (the crashing one) lose their slots until a probe succeeds.
    adaptiveConcurrency: { failureThreshold: 3, openMs: 2_000 },
    retry: {
      maxAttempts: 4,
      backoff: { kind: 'exponential', initialDelayMs: 50, maxDelayMs: 2_000, jitter: 0.5 },
    },
  });
  const started = new Map<string, number>();
  const latenciesMs: number[] = [];
  let retried = 0;
  system.on('task.submitted', (e) => started.set(e.taskId, e.at));
  system.on('task.started', (e) => {
    const submitted = started.get(e.taskId);
    if (submitted !== undefined && e.attempt === 1) latenciesMs.push(e.at - submitted);
  });
  system.on('task.retrying', () => retried++);
  let deadlineExceeded = 0;
  system.on('task.failed', (e) => {
    if (e.error.code === 'DeadlineExceeded') deadlineExceeded++;
  });
  if (onEvent) system.on('*', onEvent);
  system.start();
  // The plan draws from its own stream: a resumed run plans the same submissions as the
  // run it resumes, whatever the system drew while loading the store.
  const planRandom = seededRandom(options.seed ^ 0x5eed);
  const plan = demoPlan(
    options.tasks,
    planRandom,
    // In a thread, io work is real time: 25 simulated ms on average, at 2x, is 12 real ms.
    isolated ? (hang) => ({ workMs: Math.round(12 * (0.5 + planRandom())), hang }) : undefined,
  );
  const submitter = demoSubmitter(system, plan, stored);
  await submitter.submitDue(clock.now());
  // Drive simulated time until every task has ended or was refused.
  for (let guard = 0; guard < 100_000; guard++) {
    const { tasks } = system.stats();
    const ended = tasks.completed + tasks.failed + tasks.cancelled;
    if (ended + submitter.rejected === options.tasks) break;
    clock.increment(10);
    await submitter.submitDue(clock.now());
    await (paceMs
      ? new Promise<void>((resolve) => setTimeout(resolve, paceMs))
      : new Promise<void>((resolve) => setImmediate(resolve)));
    onTick?.(system, clock.now());
  }
  return { system, clock, latenciesMs, retried, deadlineExceeded, rejected: submitter.rejected };
}

function delay(clock: SimulatedClock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const id = clock.setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clock.clearTimeout(id);
      reject(signal.reason);
    });
  });
}
