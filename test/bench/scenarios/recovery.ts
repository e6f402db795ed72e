// Scenario 5: from an agent crash to its task running again. Agent `a` runs a long task
// and a second task that throws AgentCrash; the long task must be rescheduled (retry
// backoff 1 ms) and start again on agent `b`. Under the simulated clock the figure is in
// simulated ms (what the machines decide); in real time it is what the runtime costs.
import { SimulatedClock } from 'xstate';
import {
  AgentCrash,
  createSystem,
  type HandlerContext,
  type SystemClock,
} from '../../../src/index.js';
import { nextTimerAt } from '../../../src/testing/index.js';
import { row, type ScenarioResult, sample } from '../harness.js';

async function crashToRerun(clock: SystemClock | undefined, now: () => number): Promise<number> {
  let crashedAt = 0;
  let rerunAt = 0;
  let resolveRerun!: () => void;
  const rerun = new Promise<void>((resolve) => (resolveRerun = resolve));
  let resolveStarted!: () => void;
  const started = new Promise<void>((resolve) => (resolveStarted = resolve));
  const system = createSystem({
    ...(clock ? { clock } : {}),
    retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 1 } },
    agents: [
      {
        id: 'a',
        capabilities: ['work', 'crashy'],
        concurrency: 2,
        handler: async (kind: string, ctx: HandlerContext) => {
          if (kind === 'crash') {
            crashedAt = now();
            throw new AgentCrash('bench: agent a breaks');
          }
          resolveStarted();
          return new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
          );
        },
      },
    ],
  }).start();
  const drive = async () => {
    // Under a simulated clock, step timer by timer until the task runs again.
    if (!(clock instanceof SimulatedClock)) return;
    for (let i = 0; i < 1_000 && rerunAt === 0; i++) {
      const due = nextTimerAt(clock);
      if (due !== undefined) clock.set(Math.max(due, clock.now()));
      await new Promise<void>((r) => setImmediate(r));
    }
  };
  await system.submit({ id: 'long', type: 'long', input: 'long', capabilities: ['work'] });
  await started;
  system.addAgent({
    id: 'b',
    capabilities: ['work'],
    handler: async () => {
      rerunAt = now();
      resolveRerun();
      return 'ok';
    },
  });
  await system.submit({ id: 'crash', type: 'crash', input: 'crash', capabilities: ['crashy'] });
  await Promise.race([rerun, drive().then(() => rerun)]);
  await system.stop({ timeoutMs: 0 });
  return rerunAt - crashedAt;
}

export async function recovery(quick: boolean): Promise<ScenarioResult> {
  const runs = { warmup: 2, runs: quick ? 5 : 15 };
  const simulated = await sample(() => {
    const clock = new SimulatedClock();
    return crashToRerun(clock, () => clock.now());
  }, runs);
  const real = await sample(() => crashToRerun(undefined, () => performance.now()), runs);
  return {
    scenario: 'recovery',
    rows: [
      row('crash to task running again, simulated clock', simulated, 'ms (simulated)'),
      row('crash to task running again, real time', real, 'ms'),
    ],
    notes: [
      'retry backoff 1 ms; the task reruns on the other agent while the crashed one restarts',
    ],
  };
}
