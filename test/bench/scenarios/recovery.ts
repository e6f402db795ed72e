// Scenario 5: from an agent's failure to its task running again on another agent. Agent
// `a` runs a long task; then either a second task on it throws AgentCrash (a crash,
// detected at once) or `a` falls silent (a manual-heartbeat handler that never reports,
// detected by the heartbeat timeout). Agent `b` runs the rescheduled task. Retry backoff
// is 0, so the figure is detection plus rescheduling. Under the simulated clock it is in
// simulated ms and ticks (timer steps of the clock, what the machines decide); in real
// time it is what the runtime costs on top.
import { SimulatedClock } from 'xstate';
import {
  AgentCrash,
  createSystem,
  type HandlerContext,
  realClock,
  type SystemClock,
} from '../../../src/index.js';
import { nextTimerAt } from '../../../src/testing/index.js';
import { type Row, row, type ScenarioResult, sample, summarize } from '../harness.js';

type Failure = 'crash' | 'silence';
interface Recovery {
  /** From the failure (the crash, or the silent agent's last sign of life) to the rerun. */
  readonly ms: number;
  /** Timer steps the simulated clock took meanwhile. */
  readonly ticks: number;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function failToRerun(
  failure: Failure,
  clock: SystemClock,
  heartbeat: { timeoutMs: number; intervalMs: number },
): Promise<Recovery> {
  const simulated = clock instanceof SimulatedClock ? clock : undefined;
  const now = simulated ? () => simulated.now() : () => performance.now();
  let failedAt = Number.NaN;
  let rerunAt = Number.NaN;
  let ticks = 0;
  let resolveRerun = () => {};
  const rerun = new Promise<void>((resolve) => (resolveRerun = resolve));
  const system = createSystem({
    clock,
    retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 0 } },
    heartbeatTimeoutMs: heartbeat.timeoutMs,
    heartbeatIntervalMs: heartbeat.intervalMs,
    agents: [
      {
        id: 'a',
        capabilities: ['work', 'crashy'],
        concurrency: 2,
        heartbeat: failure === 'silence' ? 'manual' : 'auto',
        handler: async (kind: string, ctx: HandlerContext) => {
          if (kind === 'crash') {
            failedAt = now();
            throw new AgentCrash('bench: agent a breaks');
          }
          if (failure === 'silence') failedAt = now();
          return new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
          );
        },
      },
    ],
  }).start();
  // Simulated: step the clock timer by timer, letting the work settle between.
  const drive = async (sim: SimulatedClock) => {
    for (let i = 0; i < 10_000 && Number.isNaN(rerunAt); i++) {
      await turn();
      const due = nextTimerAt(sim);
      if (due === undefined || !Number.isNaN(rerunAt)) continue;
      sim.set(Math.max(due, sim.now()));
      if (!Number.isNaN(failedAt)) ticks++;
    }
  };
  await system.submit({ id: 'long', type: 'long', input: 'long', capabilities: ['work'] });
  while (system.task('long').state !== 'running') await turn();
  system.addAgent({
    id: 'b',
    capabilities: ['work'],
    handler: async () => {
      rerunAt = now();
      resolveRerun();
      return 'ok';
    },
  });
  if (failure === 'crash')
    await system.submit({ id: 'crash', type: 'crash', input: 'crash', capabilities: ['crashy'] });
  if (simulated) await drive(simulated);
  else await Promise.race([rerun, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  await system.stop({ timeoutMs: 0 });
  return { ms: rerunAt - failedAt, ticks };
}

export async function recovery(quick: boolean): Promise<ScenarioResult> {
  const runs = { warmup: 2, runs: quick ? 5 : 15 };
  const simulatedHeartbeat = { timeoutMs: 5_000, intervalMs: 1_000 };
  const realHeartbeat = { timeoutMs: 50, intervalMs: 10 };
  const rows: Row[] = [];
  for (const failure of ['crash', 'silence'] as const) {
    const label = failure === 'crash' ? 'agent crash' : 'agent falls silent';
    const simulated: Recovery[] = [];
    const ms = await sample(async () => {
      const r = await failToRerun(failure, new SimulatedClock(), simulatedHeartbeat);
      simulated.push(r);
      return r.ms;
    }, runs);
    const timeout = failure === 'silence' ? simulatedHeartbeat.timeoutMs : undefined;
    rows.push(
      row(`${label} → task running again, simulated clock`, ms, 'ms (simulated)', {
        ...(timeout ? { ratio: ms.median / timeout, baseline: 'heartbeat timeout' } : {}),
      }),
    );
    rows.push(
      row(
        `${label}: clock ticks meanwhile`,
        summarize(simulated.slice(runs.warmup).map((r) => r.ticks)),
        'ticks',
      ),
    );
    const real = await sample(
      async () => (await failToRerun(failure, realClock, realHeartbeat)).ms,
      runs,
    );
    const realTimeout = failure === 'silence' ? realHeartbeat.timeoutMs : undefined;
    rows.push(
      row(`${label} → task running again, real time`, real, 'ms', {
        ...(realTimeout ? { ratio: real.median / realTimeout, baseline: 'heartbeat timeout' } : {}),
      }),
    );
  }
  return {
    scenario: 'recovery',
    rows,
    notes: [
      'retry backoff 0; the task reruns on agent b while the failed agent restarts',
      `heartbeat timeout ${simulatedHeartbeat.timeoutMs} ms simulated, ${realHeartbeat.timeoutMs} ms real; target: the timeout plus one tick`,
    ],
  };
}
