import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../machines/seeded-random.js';
import { attainmentLine } from '../../src/demo/attainment-line.js';
import { DEMO_QOS, demoPlan, demoShares } from '../../src/demo/demo-plan.js';
import { runDemo } from '../../src/demo/demo-workload.js';
import { demoSummary } from '../../src/demo/run-summary.js';
import { summaryRows } from '../../src/demo/summary-table.js';
import type { ClassOutcome } from '../../src/observability/class-outcomes.js';

const outcome = (sloMs: number, onTime: number, late: number): ClassOutcome =>
  ({
    sloMs,
    completed: onTime + late,
    onTime,
    late,
    failed: 0,
    cancelled: 0,
    attainment: onTime + late === 0 ? 0 : onTime / (onTime + late),
  }) as ClassOutcome;

describe("the demo's QoS classes", () => {
  it('spreads its tasks over interactive, standard and batch, the interactive ones as online batches arriving through the run', async () => {
    const submitted: { at: number; deadline: number | undefined; type: string }[] = [];
    const result = await runDemo(
      { tasks: 60, agents: 5, failureRate: 0, seed: 3, hungAgent: 'inline' },
      undefined,
      (e) => {
        if (e.type === 'task.submitted')
          submitted.push({ at: e.at, deadline: e.deadline, type: e.taskType });
      },
    );
    const qos = result.system.metrics().qos;
    expect(Object.keys(qos)).toEqual(['interactive', 'standard', 'batch']);
    const finished = (c: ClassOutcome | undefined) =>
      (c?.completed ?? 0) + (c?.failed ?? 0) + (c?.cancelled ?? 0);
    expect(finished(qos.interactive)).toBe(demoShares(60).interactive);
    expect(finished(qos.standard)).toBe(demoShares(60).standard);
    expect(finished(qos.batch)).toBe(demoShares(60).batch);
    // A request's tasks share one submit and one deadline, after time 0.
    const requests = submitted.filter((s) => s.type === 'infer' || s.type === 'preview');
    expect(requests.every((s) => s.at > 0 && s.deadline !== undefined && s.deadline > s.at)).toBe(
      true,
    );
    expect(new Set(requests.map((s) => s.at)).size).toBeGreaterThan(3);
    expect(submitted.filter((s) => s.at === 0).every((s) => s.deadline === undefined)).toBe(true);
    await result.system.stop({ timeoutMs: 0 });
  });

  it('ends with a summary giving each class its attainment, as flat numbers and as table rows', async () => {
    const result = await runDemo({ tasks: 30, agents: 4, failureRate: 0, seed: 1 });
    const summary = demoSummary(result, 30);
    for (const name of Object.keys(DEMO_QOS.classes)) {
      expect(summary[`qos.${name}.sloMs`]).toBe(DEMO_QOS.classes[name]?.sloMs);
      expect(summary[`qos.${name}.attainment`]).toBeGreaterThanOrEqual(0);
      expect(summary[`qos.${name}.attainment`]).toBeLessThanOrEqual(1);
    }
    const labels = summaryRows(summary).map(([label]) => label);
    expect(labels.slice(-3)).toEqual([
      'interactive on time (SLO 500 ms)',
      'standard on time (SLO 3000 ms)',
      'batch on time (SLO 20000 ms)',
    ]);
    await result.system.stop({ timeoutMs: 0 });
  });

  it('plans interactive requests of 3 to 5 tasks, each with one GPU step', () => {
    const requests = demoPlan(300, seededRandom(7)).filter((s) => s.batch);
    expect(requests.reduce((n, s) => n + s.specs.length, 0)).toBe(demoShares(300).interactive);
    for (const request of requests.slice(0, -1)) {
      expect(request.specs.length).toBeGreaterThanOrEqual(3);
      expect(request.specs.length).toBeLessThanOrEqual(5);
      expect(request.specs.filter((s) => s.type === 'infer')).toHaveLength(1);
    }
  });
});

describe('the live view of attainment', () => {
  it('names each class by its shortest distinct prefix, attainment rounded down, - before any finished', () => {
    expect(
      attainmentLine({
        interactive: outcome(500, 99, 1),
        standard: outcome(3000, 2, 1),
        batch: outcome(20000, 0, 0),
      }),
    ).toBe('i 99% s 66% b -');
    expect(
      attainmentLine({
        standard: outcome(1, 1, 0),
        slow: outcome(1, 0, 1),
        spot: outcome(1, 1, 0),
      }),
    ).toBe('st 100% sl 0% sp 100%');
    expect(attainmentLine({})).toBe('');
  });
});
