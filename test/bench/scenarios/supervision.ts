// Scenario 6: what a restart costs: one agent under one_for_one, and all 100 agents under
// one_for_all, from the crash to the last `agent.restarted`, in real time.
import { AgentCrash, createSystem } from '../../../src/index.js';
import { row, type ScenarioResult, sample } from '../harness.js';

async function restartCost(
  agents: number,
  strategy: 'one_for_one' | 'one_for_all',
): Promise<number> {
  let crashedAt = 0;
  const system = createSystem({
    strategy,
    agents: [
      {
        id: 'w',
        replicas: agents,
        handler: async () => {
          crashedAt = performance.now();
          throw new AgentCrash('bench: crash');
        },
      },
    ],
  }).start();
  const restarted = new Promise<number>((resolve) => {
    let count = 0;
    system.on('agent.restarted', () => {
      if (++count === (strategy === 'one_for_all' ? agents : 1)) resolve(performance.now());
    });
  });
  await system.submit({ type: 'crash' });
  const end = await restarted;
  await system.stop({ timeoutMs: 0 });
  return end - crashedAt;
}

export async function supervision(quick: boolean): Promise<ScenarioResult> {
  const runs = { warmup: 2, runs: quick ? 5 : 15 };
  const one = await sample(() => restartCost(100, 'one_for_one'), runs);
  const all = await sample(() => restartCost(100, 'one_for_all'), runs);
  return {
    scenario: 'supervision',
    rows: [
      row('restart one agent (one_for_one, 100 agents)', one, 'ms'),
      row('restart all (one_for_all, 100 agents)', all, 'ms', {
        ratio: all.median / one.median,
        baseline: 'one agent',
      }),
      row('one_for_all, per agent restarted', all.median / 100, 'ms'),
    ],
    notes: ['from the handler throwing AgentCrash to the last agent.restarted event'],
  };
}
