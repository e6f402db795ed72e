// Deterministic simulation: a system on XState's SimulatedClock with seeded randomness and
// a fault injector, run as a discrete-event simulation (the clock jumps from one timer to
// the next, and the work each timer starts settles before the next fires). The same seed
// and workload give the same history, event for event.
import { SimulatedClock } from 'xstate';
import { seededRandom } from '../../machines/seeded-random.js';
import type {
  AgentDeclaration,
  HandlerContext,
  SupervisorDeclaration,
} from '../agents/agent-declaration.js';
import { isSupervisorDeclaration } from '../agents/agent-declaration.js';
import type { OverseerEvent } from '../core/system-events.js';
import { OverseerError } from '../errors/index.js';
import { createSystem } from '../system/create-system.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { SystemOptions } from '../system/system-options.js';
import type { BatchOptions } from '../tasks/task-batch.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { drawFault, type FaultPlan, type HandlerFault } from './fault-plan.js';
import type { SimAgent, SimSupervisor } from './sim-agent.js';
import { simulatedWork } from './simulated-work.js';

export type { SimAgent, SimSupervisor } from './sim-agent.js';

export interface SimBatch {
  readonly atMs: number;
  readonly specs: readonly TaskSpec[];
  readonly options?: BatchOptions;
}

export interface SimulationOptions {
  readonly seed: number;
  readonly agents: readonly (SimAgent | SimSupervisor)[];
  /** Tasks submitted at time 0 (as one batch), or at given times. */
  readonly tasks?: readonly TaskSpec[];
  readonly arrivals?: readonly { readonly atMs: number; readonly spec: TaskSpec }[];
  /** Online batches, each submitted whole with `submitBatch` at its time. */
  readonly batches?: readonly SimBatch[];
  readonly faults?: FaultPlan;
  /** Stop at this simulated time even if tasks remain. Default one hour. */
  readonly untilMs?: number;
  /** Any other system option; clock and random belong to the simulation. */
  readonly system?: Omit<SystemOptions, 'agents' | 'clock' | 'random'>;
}

export interface SimulationResult {
  readonly seed: number;
  /** Every event the system published, in order. */
  readonly history: readonly OverseerEvent[];
  /** Submissions the system refused, with the typed error. */
  readonly rejected: readonly { readonly spec: TaskSpec; readonly error: OverseerError }[];
  /** Ids of the tasks accepted, in submission order. */
  readonly accepted: readonly string[];
  readonly system: OverseerSystem;
  readonly endedAtMs: number;
  /** Every accepted task reached a final state. */
  readonly quiescent: boolean;
}

/** When the simulated clock's earliest pending timer is due, if any. */
export function nextTimerAt(clock: SimulatedClock): number | undefined {
  const timeouts = (
    clock as unknown as { timeouts: Map<number, { start: number; timeout: number }> }
  ).timeouts;
  let due: number | undefined;
  for (const { start, timeout } of timeouts.values())
    due = Math.min(due ?? Number.POSITIVE_INFINITY, start + timeout);
  return due;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const clock = new SimulatedClock();
  const random = seededRandom(options.seed);
  // Faults draw from their own stream, so adding a fault rate does not reshuffle the rest.
  const faultRandom = seededRandom(options.seed ^ 0x5eed);
  const heartbeatIntervalMs = options.system?.heartbeatIntervalMs ?? 1_000;
  const pending = [...(options.faults?.scheduled ?? [])].filter((f) => f.kind === 'handler');
  const faultFor = (agentId: string): HandlerFault | undefined => {
    const index = pending.findIndex(
      (f) => f.kind === 'handler' && f.agentId === agentId && f.atMs <= clock.now(),
    );
    const scheduled = index >= 0 ? pending.splice(index, 1)[0] : undefined;
    if (scheduled?.kind === 'handler') return scheduled.fault;
    return drawFault(options.faults?.rates, faultRandom());
  };
  const toDeclaration = (
    decl: SimAgent | SimSupervisor,
  ): AgentDeclaration | SupervisorDeclaration => {
    if (isSupervisorDeclaration(decl as AgentDeclaration | SupervisorDeclaration)) {
      const sup = decl as SimSupervisor;
      return { ...sup, children: sup.children.map(toDeclaration) };
    }
    const { workMs = 10, handler, ...agent } = decl as SimAgent;
    const duration = () =>
      typeof workMs === 'number'
        ? workMs
        : Math.round(workMs.min + (workMs.max - workMs.min) * random());
    return {
      ...agent,
      heartbeat: 'manual',
      handler: (input: never, ctx: HandlerContext) =>
        simulatedWork(duration(), faultFor(ctx.agentId), input, ctx, {
          clock,
          heartbeatIntervalMs,
          slowFactor: options.faults?.slowFactor ?? 10,
          output: handler ? (i, c) => handler(i as never, c) : (i) => i,
        }),
    };
  };
  const system = createSystem({
    ...options.system,
    clock,
    random,
    newTaskId: sequentialIds(),
    agents: options.agents.map(toDeclaration),
  });
  const history: OverseerEvent[] = [];
  system.on('*', (event) => history.push(event));
  const rejected: { spec: TaskSpec; error: OverseerError }[] = [];
  const accepted: string[] = [];
  const submit = async (specs: readonly TaskSpec[]) => {
    for (const spec of specs) {
      try {
        accepted.push((await system.submit(spec)).id);
      } catch (error) {
        if (!(error instanceof OverseerError)) throw error;
        rejected.push({ spec, error });
      }
    }
  };
  const submitBatch = async ({ specs, options: batchOptions }: SimBatch) => {
    try {
      const batch = await system.submitBatch(specs, batchOptions);
      accepted.push(...batch.tasks.map((task) => task.id));
    } catch (error) {
      if (!(error instanceof OverseerError)) throw error;
      for (const spec of specs) rejected.push({ spec, error });
    }
  };
  system.start();
  for (const fault of options.faults?.scheduled ?? []) {
    const at = fault.atMs;
    if (fault.kind === 'cancel') clock.setTimeout(() => tryCancel(system, fault.taskId), at);
    if (fault.kind === 'leave')
      clock.setTimeout(() => tolerate(() => system.removeAgent(fault.agentId)), at);
    if (fault.kind === 'join') {
      clock.setTimeout(
        () => tolerate(() => system.addAgent(toDeclaration(fault.agent) as AgentDeclaration)),
        at,
      );
    }
  }
  for (const arrival of options.arrivals ?? [])
    clock.setTimeout(() => void submit([arrival.spec]), arrival.atMs);
  for (const batch of options.batches ?? [])
    clock.setTimeout(() => void submitBatch(batch), batch.atMs);
  await submit(options.tasks ?? []);
  await turn();
  const untilMs = options.untilMs ?? 3_600_000;
  const total = () => accepted.length + rejected.length;
  const expected =
    (options.tasks?.length ?? 0) +
    (options.arrivals?.length ?? 0) +
    (options.batches ?? []).reduce((sum, batch) => sum + batch.specs.length, 0);
  const done = () => {
    const { tasks } = system.stats();
    return (
      total() === expected && tasks.completed + tasks.failed + tasks.cancelled === accepted.length
    );
  };
  for (
    let due = nextTimerAt(clock);
    !done() && due !== undefined && due <= untilMs;
    due = nextTimerAt(clock)
  ) {
    clock.set(Math.max(due, clock.now()));
    await turn();
  }
  return {
    seed: options.seed,
    history,
    rejected,
    accepted,
    system,
    endedAtMs: clock.now(),
    quiescent: done(),
  };
}

function tryCancel(system: OverseerSystem, taskId: string): void {
  tolerate(() => system.cancel(taskId, 'injected cancellation'));
}

/** A scheduled fault may name what is gone (a finished task, a removed agent): typed errors are fine. */
function tolerate(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof OverseerError)) throw error;
  }
}

/** Task ids a simulation can name in advance: t1, t2, ... in submission order. */
function sequentialIds(): () => string {
  let n = 0;
  return () => `t${++n}`;
}
