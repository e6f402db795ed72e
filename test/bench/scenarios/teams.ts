// Scenario 11: what a team run costs over plain tasks. A plan of N independent steps (one
// wave: N step tasks, then N verdict tasks) and a chain of M steps (M waves), against the
// same N plain tasks on the same agents, in one run, each on a started system whose agents
// have taken work once; the agents answer at once, so what is measured is overseer's part:
// the team machine, its tasks and the plan's checks.
import { createSystem, runTeam } from '../../../src/index.js';
import { row, type ScenarioResult, sample, timed } from '../harness.js';

const agents = (plan: () => unknown) => [
  { id: 'planner', capabilities: ['plan'], handler: plan },
  {
    id: 'worker',
    capabilities: ['w'],
    replicas: 8,
    concurrency: 16,
    handler: () => ({ ok: true }),
  },
  {
    id: 'judge',
    capabilities: ['judge'],
    replicas: 8,
    concurrency: 16,
    handler: () => ({ verdict: 'accept' }),
  },
];

const wide = (n: number) => ({
  steps: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, capability: 'w', input: i })),
});
const chain = (n: number) => ({
  steps: Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    capability: 'w',
    input: i,
    ...(i > 0 ? { dependsOn: [`s${i - 1}`] } : {}),
  })),
});

/** A started system whose agents have all taken work once (registered, warm). */
async function warmSystem(plan: () => unknown) {
  const system = createSystem({ agents: agents(plan) }).start();
  const warm = await system.submitMany(
    ['w', 'judge', 'plan'].flatMap((c) =>
      Array.from({ length: 64 }, () => ({ type: 'warm', capabilities: [c] })),
    ),
  );
  await Promise.all(warm.map((h) => h.result()));
  return system;
}

async function teamRun(plan: () => unknown): Promise<number> {
  let planned = false;
  // The warm-up's plan tasks get an empty answer; the run's planner gets the plan.
  const system = await warmSystem(() => (planned ? plan() : {}));
  planned = true;
  const ms = await timed(() =>
    runTeam(system, { goal: 'bench', planner: 'plan', validator: 'judge' }).result(),
  );
  await system.stop({ timeoutMs: 0 });
  return ms;
}

async function plainTasks(n: number): Promise<number> {
  const system = await warmSystem(() => ({}));
  const ms = await timed(async () => {
    const handles = await system.submitMany(
      Array.from({ length: n }, (_, i) => ({ type: 'plain', capabilities: ['w'], input: i })),
    );
    await Promise.all(handles.map((h) => h.result()));
  });
  await system.stop({ timeoutMs: 0 });
  return ms;
}

export async function teams(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 200 : 1_000;
  const m = quick ? 20 : 100;
  const runs = { warmup: 1, runs: quick ? 3 : 7 };
  const plain = await sample(() => plainTasks(n), runs);
  const team = await sample(() => teamRun(() => wide(n)), runs);
  const chained = await sample(() => teamRun(() => chain(m)), runs);
  const perPlain = (plain.median * 1_000) / n;
  const perStep = (team.median * 1_000) / n;
  return {
    scenario: 'teams',
    rows: [
      row(`${n} plain tasks`, plain, 'ms'),
      row(`a plan of ${n} independent steps (planned, run, judged)`, team, 'ms', {
        ratio: team.median / plain.median,
        baseline: `${n} plain tasks`,
      }),
      row('per plain task', perPlain, 'µs'),
      row('per team step (its task and its verdict)', perStep, 'µs', {
        ratio: perStep / perPlain,
        baseline: 'per plain task',
      }),
      row(`a chain of ${m} steps (${m} waves)`, chained, 'ms'),
      row('per chained step', (chained.median * 1_000) / m, 'µs'),
    ],
    notes: [
      'agents answer at once: the figures are overseer’s part (the team machine, two tasks a step, the plan check)',
      'a team step is two tasks (the step and its verdict) and the machine’s bookkeeping; one wave for the independent plan',
    ],
  };
}
