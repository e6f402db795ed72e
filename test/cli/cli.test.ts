import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MACHINE_NAMES, machinesCommand } from '../../src/cli/machines-command.js';
import { runCommand } from '../../src/cli/run-command.js';
import { readWorkload } from '../../src/cli/workload-file.js';
import { WorkloadError } from '../../src/errors/index.js';
import { machinesDocument } from '../../src/observability/machines-document.js';

const collect = () => {
  const lines: string[] = [];
  return { lines, out: (line: string) => lines.push(line) };
};
const scratch = (name: string, text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'overseer-')), name);
  writeFileSync(path, text);
  return path;
};

describe('docs/machines.md', () => {
  it('matches the machines (run `npm run docs:machines` after changing one)', () => {
    expect(readFileSync('docs/machines.md', 'utf8').trim()).toBe(machinesDocument().trim());
  });
});

describe('overseer machines', () => {
  it('prints each machine as mermaid, dot or json', () => {
    for (const format of ['mermaid', 'dot', 'json'] as const) {
      const { lines, out } = collect();
      machinesCommand(format, out);
      const text = lines.join('\n');
      expect(text).toContain('retrying');
      expect(text).toContain('unresponsive');
      expect(text).toContain('stopping');
    }
  });

  it('prints all machines as one JSON document keyed by machine name', () => {
    const { lines, out } = collect();
    machinesCommand('json', out);
    const document = JSON.parse(lines.join('\n')) as Record<string, { id: string }>;
    expect(Object.keys(document)).toEqual([
      'task',
      'agent',
      'supervisor',
      'agentLimiter',
      'qosClass',
      'teamRun',
    ]);
    expect(document.agent?.id).toBe('agent');
  });

  it('with a machine name, prints that machine alone in any format', () => {
    const mermaid = collect();
    machinesCommand('mermaid', mermaid.out, 'task');
    const diagram = mermaid.lines.join('\n');
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(diagram.match(/stateDiagram-v2/g)).toHaveLength(1);
    expect(diagram).not.toContain('%%');
    expect(diagram).toContain('retrying');
    expect(diagram).not.toContain('unresponsive');
    const json = collect();
    machinesCommand('json', json.out, 'supervisor');
    expect(JSON.parse(json.lines.join('\n'))).toMatchObject({ id: 'supervisor' });
    const dot = collect();
    machinesCommand('dot', dot.out, 'agent');
    expect(dot.lines.join('\n').match(/^digraph /gm)).toHaveLength(1);
  });

  it('prints with markdown the page `npm run docs:machines` writes', () => {
    const { lines, out } = collect();
    machinesCommand('markdown', out);
    expect(lines).toEqual([machinesDocument()]);
  });
});

describe('overseer run', () => {
  it('runs the documented example workload within its tolerance', async () => {
    const { lines, out } = collect();
    expect(await runCommand('docs/examples/workload.yaml', true, out)).toBe(0);
    const summary = JSON.parse(lines[0] ?? '{}');
    expect(summary).toMatchObject({ submitted: 300, unfinished: 0, invariantViolations: 0 });
    expect(summary.completed + summary.failed).toBe(300);
    expect(summary['qos.interactive.finished']).toBe(60);
  });

  it('exits 1 when more tasks fail than the workload tolerates', async () => {
    const path = scratch(
      'w.json',
      JSON.stringify({
        agents: [{ id: 'a' }],
        tasks: [{ type: 'x', count: 5, retry: { maxAttempts: 1 } }],
        faults: { rates: { throw: 1 } },
      }),
    );
    expect(await runCommand(path, true, () => undefined)).toBe(1);
  });

  it('names the field and line of every problem in a bad workload', () => {
    const path = scratch(
      'bad.yaml',
      [
        'agents:',
        '  - id: cpu',
        '    concurency: 2',
        'tasks:',
        '  - type: resize',
        '    count: -3',
        '',
      ].join('\n'),
    );
    const error = (() => {
      try {
        readWorkload(path);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WorkloadError);
    const problems = (error as WorkloadError).problems;
    expect(problems.some((p) => p.includes(':3:5 agents[0].concurency'))).toBe(true);
    expect(problems.some((p) => p.includes(':6:12 tasks[0].count'))).toBe(true);
  });

  it('points an unknown field at its own key, with the field it may stand for', () => {
    const path = scratch(
      'unknown.yaml',
      [
        'agents:',
        '  - id: cpu',
        '    replicas: 2',
        '    concurency: 2',
        'tasks:',
        '  - type: resize',
        '    retry: { maxAttempts: 2, backofMs: 5 }',
        'tolerence: { maxFailed: 1 }',
        '',
      ].join('\n'),
    );
    const error = (() => {
      try {
        readWorkload(path);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WorkloadError);
    expect((error as WorkloadError).problems).toEqual([
      `${path}:4:5 agents[0].concurency: unknown field; did you mean "concurrency"?`,
      `${path}:7:30 tasks[0].retry.backofMs: unknown field; did you mean "backoffMs"?`,
      `${path}:8:1 tolerence: unknown field; did you mean "tolerance"?`,
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const path = scratch('broken.yaml', 'agents:\n  - id: [unclosed\n');
    expect(() => readWorkload(path)).toThrow(/broken\.yaml:\d/);
  });
});

describe('exit codes of the real command', () => {
  const overseer = (...args: string[]) => {
    try {
      return {
        code: 0,
        out: execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      };
    } catch (error) {
      const e = error as { status: number; stderr: string };
      return { code: e.status, out: e.stderr };
    }
  };

  it('0 for help, 2 for a bad argument or a bad workload file', () => {
    expect(overseer('--help').code).toBe(0);
    expect(overseer('demo', '--tasks', 'lots')).toMatchObject({
      code: 2,
      out: expect.stringContaining('expected an integer'),
    });
    expect(overseer('machines', '--format', 'png').code).toBe(2);
    expect(overseer('machines', '--machine', 'tsk')).toMatchObject({
      code: 2,
      out: expect.stringContaining(MACHINE_NAMES.join(', ')),
    });
    expect(overseer('run', 'no-such-file.yaml')).toMatchObject({
      code: 2,
      out: expect.stringContaining('cannot read'),
    });
  });

  it('writes structured JSON logs to stderr at --log-level, and refuses an unknown level', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        '--log-level',
        'info',
        'demo',
        '--tasks',
        '6',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    const logs = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; event: string; msg: string });
    // Every task ends, completed or (the one the hung thread held, if its class expires it) failed.
    const summary = JSON.parse(run.stdout) as { completed: number; failed: number };
    expect(summary.completed + summary.failed).toBe(6);
    expect(logs.filter((l) => l.event === 'task.completed')).toHaveLength(summary.completed);
    expect(logs.find((l) => l.event === 'agent.registered')).toMatchObject({ level: 30 });
    expect(logs.some((l) => l.level < 30)).toBe(false);
    expect(overseer('--log-level', 'loud', 'demo')).toMatchObject({
      code: 2,
      out: expect.stringContaining('Allowed choices are fatal, error, warn'),
    });
  });

  it('names an unknown command with the nearest known one, exit 2; no command runs the demo', () => {
    const bogus = overseer('bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.out).toContain("unknown command 'bogus'");
    expect(bogus.out).not.toContain('too many arguments');
    expect(overseer('--log-level', 'warn', 'machnes')).toMatchObject({
      code: 2,
      out: expect.stringContaining("did you mean 'machines'?"),
    });
    const demo = overseer('--tasks', '6', '--json', '--hung-agent', 'inline');
    expect(demo.code).toBe(0);
    expect(JSON.parse(demo.out)).toMatchObject({ submitted: 6, completed: 6 });
  });

  it('exits quietly when the reader of its output goes away (EPIPE)', async () => {
    const piped = (args: string[], closeReader: 'at once' | 'after the first chunk') =>
      new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        if (closeReader === 'at once') child.stdout.destroy();
        else child.stdout.once('data', () => child.stdout.destroy());
        child.on('close', (code, signal) => resolve({ code, signal, stderr }));
      });
    // Closed before the first write, every write meets EPIPE, like `| head -c 0`.
    const machines = await piped(['machines', '--format', 'json'], 'at once');
    // Closed after the header, like `| head -1`: the demo's progress lines meet EPIPE.
    const demo = await piped(
      ['demo', '--tasks', '3000', '--hung-agent', 'inline'],
      'after the first chunk',
    );
    for (const run of [machines, demo]) {
      expect(run.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
      expect(run).toMatchObject({ code: 0, signal: null });
    }
  });
});
