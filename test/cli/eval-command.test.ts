// `overseer eval`: recorded team runs replayed on a team module (test/fixtures/eval-team/),
// whose agents answer at once on the real clock; no assertion is about wall time.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EvalReport, evalCommand, loadTeam } from '../../src/cli/eval-command.js';
import { InvalidTeamModule, jsonLinesRecorder, runTeam } from '../../src/index.js';

const fixture = (name: string) => join('test', 'fixtures', 'eval-team', `${name}.ts`);

/** A records file of two runs of the accepting team, for two goals. */
async function recordedRuns(): Promise<{ path: string; runIds: string[] }> {
  const path = join(mkdtempSync(join(tmpdir(), 'overseer-')), 'runs.jsonl');
  const { system, spec } = await loadTeam(fixture('accepting'));
  system.start();
  const runs = ['Lisbon', 'Porto'].map((goal) =>
    runTeam(system, { ...spec, goal, record: jsonLinesRecorder(path) }),
  );
  await Promise.all(runs.map((run) => run.result()));
  await system.stop({ timeoutMs: 0 });
  return { path, runIds: runs.map((run) => run.id) };
}

const evaluate = async (path: string, flags: Parameters<typeof evalCommand>[1]) => {
  const lines: string[] = [];
  const code = await evalCommand(path, flags, (line) => lines.push(line));
  return { code, text: lines.join('\n'), report: () => JSON.parse(lines[0] ?? '') as EvalReport };
};

describe('overseer eval', () => {
  it('replays each recorded goal on the team: all pass as recorded, exit 0', async () => {
    const { path, runIds } = await recordedRuns();
    const run = await evaluate(path, { team: fixture('accepting'), json: true });
    expect(run.code).toBe(0);
    const report = run.report();
    expect(report).toMatchObject({
      runs: 2,
      completed: 2,
      passRate: 1,
      minPassRate: 1,
      meanRounds: 1,
      outcomeChanged: { count: 0, runIds: [] },
      roundsChanged: { count: 0, runIds: [] },
      outputsDiffer: { count: 0, runIds: [] },
    });
    expect(report.replays.map((r) => r.runId)).toEqual(runIds);
    expect(report.replays.every((r) => !runIds.includes(r.replayRunId))).toBe(true);
    const { p50, p95, max } = report.latencyMs;
    expect(0 <= p50 && p50 <= p95 && p95 <= max).toBe(true);
  });

  it('prints a table by default, with the pass rate and each difference', async () => {
    const { path } = await recordedRuns();
    const { code, text } = await evaluate(path, { team: fixture('accepting') });
    expect(code).toBe(0);
    expect(text).toMatch(/\| pass rate\s+\|\s+100\.0% \(2\/2\) \|/);
    expect(text).toMatch(/\| outputs differ\s+\|\s+0 \|/);
    expect(text).toMatch(/\| latency p95\s+\|\s+\d+ ms \|/);
  });

  it('exits 1 below --min-pass-rate, naming the runs whose outcome changed', async () => {
    const { path, runIds } = await recordedRuns();
    const run = await evaluate(path, { team: fixture('rejecting'), minPassRate: 0.5, json: true });
    expect(run.code).toBe(1);
    const report = run.report();
    expect(report).toMatchObject({ runs: 2, completed: 0, passRate: 0, minPassRate: 0.5 });
    expect(report.outcomeChanged).toEqual({ count: 2, runIds });
    expect(report.outputsDiffer.count).toBe(2);
    expect(report.replays[0]).toMatchObject({
      outcome: 'failed',
      recorded: { outcome: 'completed' },
    });
    expect(report.replays[0]?.reason).toMatch(/not good enough/);
    const text = await evaluate(path, { team: fixture('rejecting'), minPassRate: 0.5 });
    expect(text.text).toContain(`outcome changed: ${runIds.join(', ')}`);
  });

  it('refuses a module without team(), naming it', async () => {
    const { path } = await recordedRuns();
    const run = evaluate(path, { team: fixture('no-team') });
    await expect(run).rejects.toBeInstanceOf(InvalidTeamModule);
    await expect(evaluate(path, { team: fixture('no-team') })).rejects.toThrow(
      /no-team\.ts: must export a function team\(\), got undefined/,
    );
  });

  it('exits 2 from the command line on a malformed line, naming the line', async () => {
    const { path } = await recordedRuns();
    appendFileSync(path, '{"version": 1, "runId": \n');
    let failure = { status: 0, stderr: '' };
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'eval', path, '--team', fixture('accepting')],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toContain(`${path}:3: not JSON`);
  });
});
