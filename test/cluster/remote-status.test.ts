// Any process reads a task of the cluster from the database: where it is now (submitted and
// waiting for a leader, then its state, attempts, agent, outcome and times) and its history,
// the very records the leader's store holds; a refused or unknown task says so, as its
// result() does. `overseer task` prints the same.
import { afterAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { takeSubmissions } from '../../src/cluster/submission-intake.js';
import {
  createSystem,
  NonRetryableError,
  SubmissionRefused,
  UnknownTask,
} from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';
import { overseerCli } from '../support/overseer-cli.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe("a task's status and history, from any process", () => {
  it('say where it is at each step, and give the records the leader stored', async () => {
    const schema = 'remote_status';
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const flaky = await client.submit({
      id: 'flaky',
      type: 'job',
      input: 1,
      capabilities: ['job'],
    });
    // No leader yet: durable, waiting to be taken in.
    expect(await flaky.status()).toEqual({ id: 'flaky', state: 'submitted' });
    expect(await flaky.history()).toEqual([]);

    const store = await dir.postgres({ schema });
    let calls = 0;
    const system = createSystem({
      store,
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 1 } },
      agents: [
        {
          id: 'worker',
          capabilities: ['job'],
          handler: (n: number) => {
            calls++;
            if (n === 1 && calls === 1) throw new Error('flaked once');
            if (n === 2) throw new NonRetryableError('bad input');
            return n * 10;
          },
        },
      ],
    }).start();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    expect(await flaky.result()).toBe(10);
    await store.flush();

    const done = await flaky.status();
    expect(done).toMatchObject({
      id: 'flaky',
      type: 'job',
      qos: 'default',
      state: 'completed',
      input: 1,
      attempts: 2,
      agentId: 'worker',
      output: 10,
      error: undefined,
      reason: undefined,
      retryAt: undefined,
    });
    const local = system.task('flaky');
    expect(done).toMatchObject({ submittedAt: local.submittedAt, finishedAt: local.finishedAt });
    // The same records, numbers and bodies as the leader's own store reads them.
    expect(await flaky.history()).toEqual(store.history('flaky'));
    expect((await flaky.history()).map((r) => r.kind)).toEqual([
      'task.submitted',
      'task.transition',
      'task.transition',
      'task.transition',
      'task.completed',
    ]);

    // Submitted again with its idempotency key (after a reconnect, say): the first task.
    const keyed = await client.submit({
      type: 'job',
      input: 4,
      capabilities: ['job'],
      idempotencyKey: 'k4',
    });
    expect(await keyed.result()).toBe(40);
    const again = await client.submit({
      type: 'job',
      input: 4,
      capabilities: ['job'],
      idempotencyKey: 'k4',
    });
    expect(again.id).not.toBe(keyed.id);
    expect(await again.result()).toBe(40);
    expect(await again.status()).toEqual(await keyed.status());
    expect(await again.history()).toEqual(store.history(keyed.id));
    expect(await keyed.status()).toMatchObject({ id: keyed.id, state: 'completed', output: 40 });

    const bad = await client.submit({ type: 'job', input: 2, capabilities: ['job'] });
    await expect(bad.result()).rejects.toThrow('bad input');
    await store.flush();
    expect(await bad.status()).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'NonRetryable', message: 'bad input' },
    });
    system.pauseDispatch();
    const parked = await system.submit({ type: 'job', input: 3 });
    system.cancel(parked.id, 'not needed');
    system.resumeDispatch();
    await store.flush();
    expect(await client.task(parked.id).status()).toMatchObject({
      state: 'cancelled',
      reason: 'not needed',
    });
    expect(await client.task(parked.id).history()).toEqual(store.history(parked.id));

    const nobody = await client.submit({ type: 'gpu', capabilities: ['gpu'] });
    await expect(nobody.result()).rejects.toBeInstanceOf(SubmissionRefused);
    await expect(nobody.status()).rejects.toBeInstanceOf(SubmissionRefused);
    await expect(nobody.history()).rejects.toBeInstanceOf(SubmissionRefused);
    await expect(client.task('ghost').status()).rejects.toThrow(new UnknownTask('ghost'));
    await intake.close();
    await system.stop();
    await store.close();
    await client.close();
  });

  it('from the command line: overseer task, as text or JSON', async () => {
    const schema = 'remote_status_cli';
    const url = await dir.postgresUrl();
    const store = await dir.postgres({ schema });
    const system = createSystem({
      store,
      agents: [{ id: 'w', handler: (n: number) => n + 1 }],
    }).start();
    const task = await system.submit({ id: 'one', type: 'inc', input: 1 });
    await task.result();
    await store.flush();
    const overseer = (...args: string[]) => overseerCli('task', '--schema', schema, ...args);
    const text = await overseer('one', '--db', url);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^task one \(type inc, class default\): completed\n {2}attempts 1, last on w\n {2}submitted \S+Z, last changed \S+Z\n {2}output 2\nhistory:\n {2}\S+Z {2}submitted\n {2}\S+Z {2}running \(attempt 1 on w\)\n {2}\S+Z {2}completed \(attempt 1\)\n$/,
    );
    const json = await overseer('one', '--db', url, '--json');
    expect(JSON.parse(json.stdout)).toEqual(
      JSON.parse(
        JSON.stringify({
          status: await connectAndRead(url, schema),
          history: store.history('one'),
        }),
      ),
    );
    expect(await overseer('ghost', '--db', url)).toEqual({
      code: 1,
      stdout: `${new UnknownTask('ghost').message}\n`,
    });
    // An id of your own may begin with a dash: it goes after `--`, as for any command.
    await (await system.submit({ id: '-dash', type: 'inc', input: 2 })).result();
    await store.flush();
    const dashed = await overseer('--db', url, '--', '-dash');
    expect(dashed.code).toBe(0);
    expect(dashed.stdout).toMatch(/^task -dash \(type inc, class default\): completed\n/);
    const unreachable = await overseer('one', '--db', 'postgres://nobody@127.0.0.1:1/none');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stdout).toMatch(/^error: /);
    await system.stop();
    await store.close();
  });
});

async function connectAndRead(url: string, schema: string) {
  const client = await connectCluster(url, { schema });
  try {
    return await client.task('one').status();
  } finally {
    await client.close();
  }
}
