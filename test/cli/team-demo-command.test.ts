import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { teamDemoCommand } from '../../src/cli/team-demo-command.js';

const collect = () => {
  const lines: string[] = [];
  return { lines, out: (line: string) => lines.push(line) };
};
/** A number in the summary table, by its label. */
const figure = (lines: readonly string[], label: string) =>
  Number(
    new RegExp(`\\| ${label.replace(/[()]/g, '\\$&')} +\\| +(\\d+)`).exec(lines.join('\n'))?.[1],
  );

describe('overseer demo --scenario team', () => {
  it('tells what happens, shows its progress and ends with the summary table, exit 0', async () => {
    const { lines, out } = collect();
    const code = await teamDemoCommand({ seed: 42, json: false }, out);
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(lines[0]).toContain('overseer demo --scenario team');
    expect(text).toMatch(/round 1: plan flight \(flights\), hotel \(hotels\), weather \(weather\)/);
    expect(text).toMatch(/output does not fit its schema \(expected an object, got the text/);
    expect(text).toMatch(/rejected \(.+\), running it again/);
    expect(text).toMatch(/tool \w+ \(\w+\): ok on run 2/);
    expect(text).toMatch(
      /team \w+ \| round 1 \| steps \d\/3 accepted \| repairs \d \| rejections \d \| replans 0 \| tool calls \d+ \(\d timed out\)/,
    );
    expect(text).toMatch(/run completed/);
    expect(lines.at(-1)).toMatch(/^\+-+\+/);
    expect(figure(lines, 'completed (1) or not (0)')).toBe(1);
    expect(figure(lines, 'steps accepted')).toBe(3);
    expect(figure(lines, 'schema repairs')).toBeGreaterThanOrEqual(1);
    expect(figure(lines, 'validator rejections')).toBeGreaterThanOrEqual(1);
    expect(figure(lines, 'tool timeouts')).toBeGreaterThanOrEqual(1);
  });

  it('prints only one line of flat numbers with --json', async () => {
    const { lines, out } = collect();
    const code = await teamDemoCommand({ seed: 42, json: true }, out);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual([
      'repairs',
      'rejections',
      'replans',
      'rounds',
      'toolCalls',
      'toolTimeouts',
      'steps',
      'stepsAccepted',
      'outcome',
      'simulatedTimeMs',
    ]);
    for (const [key, value] of Object.entries(summary)) expect(typeof value, key).toBe('number');
    expect(summary).toMatchObject({ outcome: 1, rounds: 2, steps: 3, stepsAccepted: 3 });
  });

  it('prints the same summary for the same seed', async () => {
    const first = collect();
    const second = collect();
    await teamDemoCommand({ seed: 9, json: true }, first.out);
    await teamDemoCommand({ seed: 9, json: true }, second.out);
    expect(second.lines).toEqual(first.lines);
  });

  it('is what `overseer demo --scenario team` runs, exiting 0 when the trip is planned', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--scenario', 'team', '--json', '--seed', '9'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ outcome: 1, stepsAccepted: 3 });
  });
});
