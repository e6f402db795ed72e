import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo-command.js';
import { runCommand } from '../../src/cli/run-command.js';

const collect = () => {
  const lines: string[] = [];
  return { lines, out: (line: string) => lines.push(line) };
};
/** A number in the summary table, by its label. */
const figure = (lines: readonly string[], label: string) =>
  Number(new RegExp(`\\| ${label} +\\| +(\\d+)`).exec(lines.join('\n'))?.[1]);

describe('overseer demo', () => {
  it('prints only a JSON summary with --json', async () => {
    const { lines, out } = collect();
    const code = await demoCommand(
      { tasks: 60, agents: 5, failureRate: 0, seed: 1, json: true },
      out,
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] ?? '{}') as Record<string, number>;
    // No failure injected: a task fails only by its deadline or its class's SLO.
    expect(summary.failed).toBe(summary.deadlineExceeded);
    expect(summary).toMatchObject({ submitted: 60, unfinished: 0 });
    expect((summary.completed ?? 0) + (summary.failed ?? 0) + (summary.rejected ?? 0)).toBe(60);
  });

  it('prints the same JSON summary shape as `run`, numbers as numbers', async () => {
    const demo = collect();
    await demoCommand(
      { tasks: 30, agents: 4, failureRate: 0.2, seed: 4, json: true, hungAgent: 'inline' },
      demo.out,
    );
    const run = collect();
    await runCommand('docs/examples/workload.yaml', true, run.out);
    const demoSummary = JSON.parse(demo.lines[0] ?? '{}') as Record<string, unknown>;
    const runSummary = JSON.parse(run.lines[0] ?? '{}') as Record<string, unknown>;
    // The example declares the demo's classes, so the per-class keys match too.
    expect(Object.keys(demoSummary)).toEqual(Object.keys(runSummary));
    expect(Object.keys(demoSummary)).toEqual(
      expect.arrayContaining([
        'qos.interactive.attainment',
        'qos.standard.sloMs',
        'qos.batch.onTime',
        'qos.batch.finished',
      ]),
    );
    for (const [key, value] of Object.entries(demoSummary)) {
      if (key === 'invariantViolations')
        expect(value).toBeNull(); // the demo checks none
      else expect(typeof value, key).toBe('number');
    }
    expect(Object.values(runSummary).every((v) => typeof v === 'number')).toBe(true);
    expect(demoSummary).toMatchObject({ submitted: 30, unfinished: 0 });
    const { completed, failed, rejected } = demoSummary as Record<string, number>;
    expect((completed ?? 0) + (failed ?? 0) + (rejected ?? 0)).toBe(30);
    expect(demoSummary.simulatedTimeMs).toBeGreaterThan(0);
    expect(demoSummary.retriedAttempts).toBeGreaterThan(0);
  });

  it('prints plain progress lines and the summary table when output is not a terminal', async () => {
    const { lines, out } = collect();
    await demoCommand({ tasks: 60, agents: 5, failureRate: 0.1, seed: 2, json: false }, out);
    expect(lines.some((l) => l.includes('done'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\+-+\+/);
  });

  it('names its classes, shows their attainment as it goes, and ends with a row per class', async () => {
    const { lines, out } = collect();
    await demoCommand({ tasks: 60, agents: 5, failureRate: 0, seed: 2, json: false }, out);
    expect(lines[1]).toMatch(/^classes: interactive 18 \(SLO 500 ms, weight 6\)/);
    const progress = lines.filter((l) => l.includes('done'));
    // After the attainment, the reliability figure when an agent runs limited (limits-line.ts).
    expect(progress.at(-1)).toMatch(
      / on time i (\d+%|-) s (\d+%|-) b (\d+%|-)( {2}(limited|open|probing) \d+( (open|probing) \d+)*)?$/,
    );
    const table = lines.join('\n');
    expect(table).toMatch(/\| interactive on time \(SLO 500 ms\) +\| +\d+\.\d% \(\d+\/18\) \|/);
    expect(table).toMatch(/\| batch on time \(SLO 20000 ms\) +\| +\d+\.\d% \(\d+\/18\) \|/);
  });

  it('runs the agent that hangs in a thread, and shows it killed and restarted', async () => {
    const { lines, out } = collect();
    const code = await demoCommand(
      { tasks: 30, agents: 4, failureRate: 0, seed: 5, json: false },
      out,
    );
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(lines[0]).toContain('1 io that hangs once in a thread');
    expect(text).toMatch(/agent io missed its heartbeats holding \d task\(s\): terminated/);
    expect(text).toMatch(/agent io restarted by supervisor root/);
    expect(figure(lines, 'completed') + figure(lines, 'failed')).toBe(30);
    expect(figure(lines, 'failed')).toBe(figure(lines, 'of which deadline exceeded'));
  });

  it('with --store, a second run resumes the stored one and reruns nothing finished', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'overseer-')), 'demo.db');
    const first = collect();
    await demoCommand(
      { tasks: 30, agents: 4, failureRate: 0, seed: 3, json: false, store },
      first.out,
    );
    expect(first.lines[1]).toContain('storing the run in');
    const second = collect();
    await demoCommand(
      { tasks: 30, agents: 4, failureRate: 0, seed: 3, json: false, store },
      second.out,
    );
    expect(second.lines[1]).toContain('resuming the run stored in');
    expect(figure(first.lines, 'completed') + figure(first.lines, 'failed')).toBe(30);
    expect(figure(second.lines, 'completed')).toBe(figure(first.lines, 'completed'));
    expect(figure(second.lines, 'retried attempts')).toBe(0);
  });
});
