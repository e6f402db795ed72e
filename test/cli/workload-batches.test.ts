import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { readWorkload, simulationOf } from '../../src/cli/workload-file.js';
import { WorkloadError } from '../../src/errors/index.js';
import { simulate } from '../../src/testing/simulate.js';

const file = (lines: readonly string[]) => {
  const path = join(mkdtempSync(join(tmpdir(), 'overseer-batches-')), 'workload.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

/** A workload whose `answer` group (line 7) is submitted as `batch` (line 8). */
const workload = (batch: string, extra: readonly string[] = []) => [
  'agents:',
  '  - id: cpu',
  '    replicas: 2',
  '    workMs: 10',
  'tasks:',
  '  - { type: report, count: 6 }',
  '  - type: answer',
  `    batch: ${batch}`,
  '    count: 10',
  '    qos: interactive',
  ...extra,
  'system:',
  '  qos:',
  '    default: standard',
  '    classes:',
  '      interactive: { sloMs: 500, weight: 6 }',
  '      standard: { sloMs: 3000 }',
];

const problemsOf = (path: string): string[] => {
  try {
    readWorkload(path);
  } catch (error) {
    if (error instanceof WorkloadError) return [...error.problems];
    throw error;
  }
  return [];
};

describe('online batches in a workload file', () => {
  it("submits a group as batches of `size`, every `everyMs`, each due `deadlineMs` after its submit, in the group's class", () => {
    const path = file(workload('{ size: 4, deadlineMs: 300, everyMs: 100, startMs: 50 }'));
    const simulation = simulationOf(readWorkload(path));
    expect(simulation.tasks).toHaveLength(6); // the group without `batch`, at time 0
    const batches = simulation.batches ?? [];
    // 10 tasks in batches of 4: the last takes the 2 left; each is submitted whole.
    expect(batches.map((b) => [b.atMs, b.specs.length])).toEqual([
      [50, 4],
      [150, 4],
      [250, 2],
    ]);
    expect(batches.map((b) => b.options)).toEqual([
      { qos: 'interactive', deadline: 350 },
      { qos: 'interactive', deadline: 450 },
      { qos: 'interactive', deadline: 550 },
    ]);
    expect(batches.every((b) => b.specs.every((spec) => spec.type === 'answer'))).toBe(true);
  });

  it('runs the batches to completion and reports their class', async () => {
    const path = file(workload('{ size: 5, deadlineMs: 2000, everyMs: 100 }'));
    const lines: string[] = [];
    expect(await runCommand(path, true, (line) => lines.push(line))).toBe(0);
    const summary = JSON.parse(lines[0] ?? '{}') as Record<string, number>;
    expect(summary).toMatchObject({
      submitted: 16,
      completed: 16,
      invariantViolations: 0,
      'qos.interactive.finished': 10,
      'qos.standard.finished': 6,
    });
  });

  it('fails the tasks of a batch that cannot finish by its deadline with DeadlineExceeded', async () => {
    // Work takes 10 ms; a deadline 5 ms after submit cuts every attempt.
    const path = file(workload('{ size: 5, deadlineMs: 5 }'));
    const lines: string[] = [];
    expect(await runCommand(path, true, (line) => lines.push(line))).toBe(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ completed: 6, failed: 10 });
    const result = await simulate(simulationOf(readWorkload(path)));
    const failures = result.history.filter((e) => e.type === 'task.failed');
    expect(failures).toHaveLength(10);
    expect(
      failures.every((e) => e.type === 'task.failed' && e.error.code === 'DeadlineExceeded'),
    ).toBe(true);
    await result.system.stop({ timeoutMs: 0 });
  });

  it('names the field and line of each bad batch value', () => {
    const path = file(workload('{ size: 0, deadlineMs: -1, everyMs: 1.5, startMs: -2 }'));
    const problems = problemsOf(path);
    expect(problems).toEqual([
      `${path}:8:20 tasks[1].batch.size: must be at least 1 task a batch`,
      `${path}:8:35 tasks[1].batch.deadlineMs: must be a duration in ms above 0`,
      `${path}:8:62 tasks[1].batch.startMs: must be a time in ms, 0 or more`,
    ]);
  });

  it('points an unknown batch field at its key, with the field it may stand for', () => {
    const path = file(workload('{ size: 2, deadline: 300 }'));
    expect(problemsOf(path)).toEqual([
      `${path}:8:23 tasks[1].batch.deadline: unknown field; did you mean "deadlineMs"?`,
    ]);
  });

  it('refuses a batch larger than its group, and batches submitted after untilMs', () => {
    const tooLarge = file(workload('{ size: 12 }'));
    expect(problemsOf(tooLarge)).toEqual([
      `${tooLarge}:8:20 tasks[1].batch.size: 12 tasks a batch is more than the group's count (10)`,
    ]);
    const tooLate = file(['untilMs: 1000', ...workload('{ size: 2, everyMs: 300 }')]);
    expect(problemsOf(tooLate)).toEqual([
      `${tooLate}:9:32 tasks[1].batch.everyMs: the last batch would be submitted at 1200 ms, not before untilMs (1000 ms)`,
    ]);
  });
});
