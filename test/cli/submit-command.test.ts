// `overseer submit`: a task spec or a batch from a file, stdin or --spec, submitted to the
// cluster as a client's submit and submitMany do; each id printed once durable; with --wait,
// how each ended (exit 1 when one did not complete). What it cannot read or that is invalid
// is exit 2, named, with nothing submitted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { submitCommand } from '../../src/cli/submit-command.js';
import { tempDir } from '../store/fixtures.js';
import { intakeLeader } from '../support/intake-leader.js';
import { overseerCliWith } from '../support/overseer-cli.js';

const dir = tempDir();
afterAll(() => dir.remove());

const ids = (stdout: string) => [...stdout.matchAll(/^submitted task (\S+)$/gm)].map((m) => m[1]);

describe('overseer submit', () => {
  it('submits a spec from a file, a batch from stdin and one inline, waiting when asked', async () => {
    const schema = 'cli_submit';
    const url = await dir.postgresUrl();
    const leader = await intakeLeader(dir, schema, {
      agents: [{ id: 'doubler', capabilities: ['double'], handler: (n: number) => n * 2 }],
    });
    const { system } = leader;
    const submit = (input: string, ...args: string[]) =>
      overseerCliWith(input, 'submit', '--db', url, '--schema', schema, ...args);
    const file = join(dir.dir, 'task.json');
    writeFileSync(file, JSON.stringify({ type: 'double', capabilities: ['double'], input: 21 }));

    const one = await submit('', file, '--wait');
    const [id] = ids(one.stdout);
    expect(one).toEqual({ code: 0, stdout: `submitted task ${id}\ntask ${id} completed: 42\n` });

    const batch = JSON.stringify([
      { id: 'second', type: 'double', capabilities: ['double'], input: 2, dependsOn: ['first'] },
      { id: 'first', type: 'double', capabilities: ['double'], input: 1 },
    ]);
    expect(await submit(batch, '-', '--wait')).toEqual({
      code: 0,
      stdout:
        'submitted task second\nsubmitted task first\n' +
        'task second completed: 4\ntask first completed: 2\n',
    });

    const inline = await submit('', '--spec', '{"id":"quiet","type":"double","input":5}');
    expect(inline).toEqual({ code: 0, stdout: 'submitted task quiet\n' });

    // A batch one of whose tasks no agent offers is refused whole: exit 1, each task named.
    const refused = await submit(
      JSON.stringify([
        { id: 'ok', type: 'double', input: 1 },
        { id: 'gpu', type: 'render', capabilities: ['gpu'] },
      ]),
      '-',
      '--wait',
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^task ok: .*refused.*gpu/m);
    expect(refused.stdout).toMatch(/^task gpu: .*refused.*gpu/m);
    // Taken in before the batch after it (in the order submitted), and run.
    expect(system.task('quiet').attempts).toBe(1);
    expect(() => system.task('ok')).toThrow(/ok/);
    await leader.close();
  });

  it('refuses what it cannot read, or an invalid spec, naming it, with nothing submitted', async () => {
    const schema = 'cli_submit_bad';
    const url = await dir.postgresUrl();
    const lines: string[] = [];
    const run = (file: string | undefined, spec?: string, stdin = '') =>
      submitCommand(
        file,
        { db: url, schema, wait: false, ...(spec === undefined ? {} : { spec }) },
        (line) => lines.push(line),
        () => stdin,
      );
    expect(await run(undefined)).toBe(2);
    expect(await run('x.json', '{}')).toBe(2);
    expect(await run(join(dir.dir, 'missing.json'))).toBe(2);
    expect(await run('-', undefined, '{"type": ')).toBe(2);
    expect(await run(undefined, '7')).toBe(2);
    expect(await run(undefined, '[{"type":"ok"},{"type":3}]')).toBe(2);
    expect(await run(undefined, '{"type":"x","priority":"high"}')).toBe(2);
    expect(lines).toEqual([
      'error: give the task spec as a file, - for stdin, or --spec <json> (one of them)',
      'error: give the task spec as a file, - for stdin, or --spec <json> (one of them)',
      expect.stringMatching(/^error: cannot read .*missing\.json: ENOENT/),
      expect.stringMatching(/^error: stdin is not JSON: /),
      'error: --spec must hold a task spec (an object) or a batch (an array of them)',
      expect.stringMatching(/^error: invalid task spec: tasks\[1\]\.type /),
      expect.stringMatching(/^error: invalid task spec: priority /),
    ]);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${schema}.submissions`);
    expect(rows[0]?.n).toBe(0);
    await db.end();
  });
});
