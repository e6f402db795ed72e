import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectCommand } from '../../src/cli/inspect-command.js';
import { InspectorUnreachable, PortInUse } from '../../src/index.js';
import { freePort, localInspector } from '../support/inspector-client.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});
const flags = { tasks: 6, agents: 4, failureRate: 0, seed: 7, open: false, pace: 0, wait: false };

describe('overseer inspect', () => {
  it('runs the demo connected to an inspector server given by --url', async () => {
    const { port, url, ui, close } = await localInspector();
    cleanup.push(close);
    const lines: string[] = [];
    const code = await inspectCommand({ ...flags, port, url }, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('completed');
    const tasks = (all: typeof ui.received) =>
      new Set(
        all
          .filter((r) => r.type === '@xstate.actor' && r.name?.startsWith('task:'))
          .map((r) => r.name),
      );
    await ui.waitFor((all) => tasks(all).size === 6);
    expect(ui.received.some((r) => r.name === 'supervisor:root')).toBe(true);
  });

  it('fails with the address when the --url server is not there', async () => {
    const port = await freePort();
    const run = inspectCommand({ ...flags, port, url: `ws://127.0.0.1:${port}` }, () => {});
    await expect(run).rejects.toBeInstanceOf(InspectorUnreachable);
  });

  it('refuses a bridge port that is taken, naming it', async () => {
    const taken = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, () => {
        const address = taken.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    );
    cleanup.push(() => taken.close());
    const run = inspectCommand({ ...flags, port }, () => {});
    await expect(run).rejects.toBeInstanceOf(PortInUse);
    await expect(inspectCommand({ ...flags, port }, () => {})).rejects.toThrow(`port ${port}`);
  });
});
