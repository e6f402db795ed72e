// `overseer status --db <url>`: a PostgreSQL store's owner, tasks by state, agents and team
// runs, read from the database without starting a system; exit 2 when it cannot be read.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { statusCommand } from '../../src/cli/status-command.js';
import { createSystem } from '../../src/index.js';
import { POSTGRES_SCHEMA_VERSION } from '../../src/store/postgres/postgres-schema.js';
import { tempDir } from '../store/fixtures.js';
import { advanceClock } from '../support/system-harness.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('overseer status', () => {
  it('shows the owner, tasks by state, agents and unfinished team runs', async () => {
    const store = await dir.postgres({ schema: 'status' });
    const clock = new SimulatedClock();
    const system = createSystem({
      clock,
      store,
      agents: [{ id: 'w', capabilities: ['x'], handler: (n: number) => n }],
    }).start();
    await system.submit({ type: 'x', input: 1 });
    await system.submit({ type: 'x', input: 2, capabilities: ['x'] });
    await advanceClock(clock, 10);
    await store.flush();
    const url = await dir.postgresUrl();
    const lines: string[] = [];
    expect(
      await statusCommand({ db: url, schema: 'status', json: false }, (l) => lines.push(l)),
    ).toBe(0);
    expect(lines).toEqual([
      `store schema status, version ${POSTGRES_SCHEMA_VERSION}`,
      expect.stringMatching(/^owner: .+:\d+:.+ \(claim until \d+\)$/),
      'tasks: completed 2',
      expect.stringMatching(/^agents: /),
      'unfinished team runs: 0',
    ]);
    // From the command line, as JSON; a store that is not there is exit 2, named.
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'status', ...args], {
        encoding: 'utf8',
      });
    const json = run('--db', url, '--schema', 'status', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ tasks: { completed: 2 }, teamRuns: 0 });
    const missing = run('--db', url, '--schema', 'nothing_here');
    expect(missing.status).toBe(2);
    expect(missing.stdout).toMatch(/schema nothing_here holds no overseer store/);
    await system.stop({ timeoutMs: 0 });
  });
});
