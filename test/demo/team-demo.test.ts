import { describe, expect, it } from 'vitest';
import type { TeamHistoryEntry } from '../../machines/team-run.js';
import { tripScript } from '../../src/demo/team/scripted-model.js';
import { runTeamDemo } from '../../src/demo/team/team-demo.js';

/** One run of the demo, its history and its summary; the system stopped after. */
async function demo(seed: number) {
  const history: TeamHistoryEntry[] = [];
  const { summary, system } = await runTeamDemo({ seed }, { onEntry: (e) => history.push(e) });
  const toolEvents = system.metrics().tools;
  await system.stop({ timeoutMs: 0 });
  return { summary, history, toolEvents };
}

describe('the team demo', () => {
  it('completes the trip in a second round, after a repair, rejections, a timeout and a replan', async () => {
    const { summary, history } = await demo(42);
    expect(summary).toMatchObject({ outcome: 1, steps: 3, stepsAccepted: 3, rounds: 2 });
    expect(summary.replans).toBeGreaterThanOrEqual(1);
    expect(summary.replans).toBe(history.filter((e) => e.kind === 'replan').length);
    expect(summary.repairs).toBeGreaterThanOrEqual(1);
    expect(summary.rejections).toBeGreaterThanOrEqual(1);
    expect(summary.toolTimeouts).toBeGreaterThanOrEqual(1);
    expect(summary.simulatedTimeMs).toBeGreaterThan(0);
    expect(history.at(-1)).toEqual({ kind: 'end', outcome: 'completed' });
  });

  it('replans when the hotel is over budget every run, and the second plan passes', async () => {
    const { history } = await demo(42);
    const failed = history.find((e) => e.kind === 'step.failed');
    expect(failed).toMatchObject({ stepId: 'hotel' });
    expect(failed?.kind === 'step.failed' && failed.error).toContain('over budget');
    const replan = history.find((e) => e.kind === 'replan');
    expect(replan).toMatchObject({ round: 2 });
    expect(replan?.kind === 'replan' && replan.failures.join()).toContain('over budget');
    const plans = history.filter((e) => e.kind === 'plan');
    const hotelArea = plans.map((p) => p.steps.find((s) => s.id === 'hotel')?.input);
    expect(hotelArea).toEqual([
      { city: 'Lisbon', area: 'Chiado' },
      { city: 'Lisbon', area: 'Alfama' },
    ]);
    const afterReplan = history.slice(history.indexOf(replan as TeamHistoryEntry));
    expect(afterReplan).toContainEqual({ kind: 'verdict', stepId: 'hotel', accept: true });
  });

  it('repairs the worker the script breaks, and reruns the step the validator rejects once', async () => {
    const script = tripScript(42);
    const { history } = await demo(42);
    const stepOf = { flights: 'flight', hotels: 'hotel', weather: 'weather' } as const;
    const repairs = history.filter((e) => e.kind === 'step.repair');
    expect(repairs).toMatchObject([{ stepId: stepOf[script.badJson] }]);
    const rejected = stepOf[script.rejected];
    const verdicts = history
      .filter((e) => e.kind === 'verdict')
      .filter((v) => v.stepId === rejected);
    const once = verdicts.findIndex((v) => !v.accept && !v.feedback?.includes('over budget'));
    expect(once).toBeGreaterThanOrEqual(0);
    expect(verdicts[once + 1]).toMatchObject({ accept: true });
  });

  it('counts each tool call once, the one that timed out answering on its retry', async () => {
    const { summary, toolEvents } = await demo(7);
    const calls = Object.values(toolEvents).reduce(
      (sum, tool) => sum + Object.values(tool.calls).reduce((a, b) => a + b, 0),
      0,
    );
    expect(summary.toolCalls).toBe(calls);
    const runs = Object.values(toolEvents).reduce((sum, tool) => sum + tool.runs, 0);
    expect(runs).toBe(calls + summary.toolTimeouts);
  });

  it('is deterministic: two runs with one seed give the same summary', async () => {
    const first = await demo(3);
    const second = await demo(3);
    expect(second.summary).toEqual(first.summary);
    expect(second.history).toEqual(first.history);
  });

  it('completes with every seed tried, each with its own script', async () => {
    for (const seed of [1, 2, 5, 11]) {
      const { summary } = await demo(seed);
      expect(summary, `seed ${seed}`).toMatchObject({ outcome: 1, stepsAccepted: 3, rounds: 2 });
      expect(summary.replans, `seed ${seed}`).toBe(1);
      expect(summary.repairs + summary.rejections + summary.toolTimeouts).toBeGreaterThanOrEqual(3);
    }
  });
});
