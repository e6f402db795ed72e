// Supervisor failover with fencing, as processes: a leader writes under its lease; it is
// stopped (SIGSTOP) past the lease, a standby takes over with the next epoch, and when the
// old leader is let go on (SIGCONT) it steps down: none of its writes lands after the
// takeover. Leases run on the database clock.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await dir.remove();
});
const script = fileURLToPath(new URL('./fixtures/leader-process.ts', import.meta.url));

function supervisor(url: string, schema: string, name: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, schema, name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  const waiters: { pattern: RegExp; resolve(match: RegExpMatchArray): void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const match = out.match(w.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match);
      }
    }
  });
  return {
    child,
    output: () => out,
    /** Resolves once the output matches `pattern`. */
    saw: (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const match = out.match(pattern);
        if (match) resolve(match);
        else waiters.push({ pattern, resolve });
      }),
  };
}

describe('supervisor failover', () => {
  it('fences a stalled leader off: the standby takes over and none of the old one’s writes lands after', async () => {
    const schema = 'failover';
    await dir.postgres({ schema });
    const url = await dir.postgresUrl();
    const a = supervisor(url, schema, 'a');
    const [, epochA] = (await a.saw(/leader a epoch (\d+)/)) as RegExpMatchArray;
    await a.saw(/wrote a-3\n/);
    const b = supervisor(url, schema, 'b');
    // b waits while a holds the lease.
    a.child.kill('SIGSTOP');
    const [, epochB, loadedByB] = (await b.saw(
      /leader b epoch (\d+) loaded (.*)\n/,
    )) as RegExpMatchArray;
    expect(Number(epochB)).toBe(Number(epochA) + 1);
    await b.saw(/wrote b-2\n/);
    a.child.kill('SIGCONT');
    const [code] = await once(a.child, 'exit');
    expect(code).toBe(3);
    expect(a.output()).toMatch(/lost .*epoch|refused a-\d+: .*deposed/);
    // What a wrote is exactly what b found when it took over: nothing of a's landed after.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`SELECT task_id FROM "${schema}".tasks ORDER BY seq`);
    await client.end();
    const ofA = rows.map((r) => r.task_id as string).filter((id) => id.startsWith('a-'));
    expect(ofA).toEqual(JSON.parse(loadedByB as string));
    // Every write a was told had landed is there.
    const acknowledged = [...a.output().matchAll(/wrote (a-\d+)/g)].map((m) => m[1]);
    expect(ofA).toEqual(expect.arrayContaining(acknowledged));
    b.child.kill('SIGKILL');
  });
});
