// `overseer dashboard`: runs the demo with the dashboard on it, prints the page's address
// (with the token when actions are enabled) and serves it until told to stop.
import { describe, expect, it } from 'vitest';
import { dashboardCommand } from '../../src/cli/dashboard-command.js';

const TOKEN = 'command-test-token-0123456789';

describe('overseer dashboard', () => {
  it('runs the demo, prints the address, and serves the page and the actions until stopped', async () => {
    const lines: string[] = [];
    let addressed: (url: string) => void = () => undefined;
    const address = new Promise<string>((resolve) => {
      addressed = resolve;
    });
    let finished: () => void = () => undefined;
    const runEnded = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const out = (line: string) => {
      lines.push(line);
      const url = /dashboard on (\S+)/.exec(line)?.[1];
      if (url) addressed(url);
      if (line.startsWith('run finished')) finished();
    };
    let stop: () => void = () => undefined;
    const code = dashboardCommand(
      {
        tasks: 40,
        agents: 5,
        failureRate: 0,
        seed: 3,
        port: 0,
        host: '127.0.0.1',
        token: TOKEN,
        pace: 0,
        hungAgent: 'inline',
        wait: true,
      },
      out,
      () =>
        new Promise<void>((resolve) => {
          stop = resolve;
        }),
    );
    const url = new URL(await address);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.hash).toBe(`#token=${TOKEN}`);
    await runEnded;
    expect((await fetch(new URL('/', url))).status).toBe(200);
    const tasks = (await (await fetch(new URL('/api/tasks?limit=100', url))).json()) as unknown[];
    // Tasks submitted before the page was served are there too.
    expect(tasks.length).toBe(40);
    const unauthorized = await fetch(new URL('/api/dispatch/pause', url), { method: 'POST' });
    expect(unauthorized.status).toBe(401);
    stop();
    expect(await code).toBe(0);
    expect(lines.join('\n')).toMatch(/completed\s*\|\s*40/);
  });

  it('exits 2, naming the store, when --db cannot be read', async () => {
    const lines: string[] = [];
    const code = await dashboardCommand(
      {
        tasks: 1,
        agents: 4,
        failureRate: 0,
        seed: 1,
        port: 0,
        host: '127.0.0.1',
        pace: 0,
        hungAgent: 'inline',
        wait: false,
        db: 'postgres://nobody@127.0.0.1:1/none',
      },
      (line) => lines.push(line),
    );
    expect(code).toBe(2);
    expect(lines.join('\n')).toMatch(/^error: .*127\.0\.0\.1:1/);
  });
});
