// A client cancels a task from any process: the request is durable when `cancel` resolves,
// and the leader cancels the task as it takes the request in, as `system.cancel` does (a
// running attempt aborted, the result TaskCancelled); one for a task not taken in yet waits
// for it, which is then taken in cancelled, never started (also when its QoS class delays
// it); one for a finished or unknown task changes nothing. Each request goes once applied.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyCancellations } from '../../src/cluster/cancellation-intake.js';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { takeSubmissions } from '../../src/cluster/submission-intake.js';
import { createSystem, TaskCancelled } from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';
import { overseerCli } from '../support/overseer-cli.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe("a client's cancellations", () => {
  it('cancel a running task, wait for one not taken in yet, and leave finished or unknown ones', async () => {
    const schema = 'cancels';
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const ended: string[] = [];
    client.onEnded((e) => ended.push(`${e.taskId}:${e.state}`));
    // Before any leader: the submission and its cancellation wait, durable, in that order.
    const early = await client.submit({
      id: 'early',
      type: 'wait',
      input: 2,
      capabilities: ['wait'],
    });
    await client.cancel('early', 'no longer needed');
    const aborted: unknown[] = [];
    const started: string[] = [];
    const store = await dir.postgres({ schema });
    const system = createSystem({
      store,
      agents: [
        {
          id: 'waiter',
          capabilities: ['wait'],
          handler: (n: number, ctx) => {
            started.push(String(n));
            if (n === 0) return 'quick';
            return new Promise((_, reject) =>
              ctx.signal.addEventListener('abort', () => {
                aborted.push(ctx.signal.reason);
                reject(ctx.signal.reason);
              }),
            );
          },
        },
      ],
    }).start();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    // Taken in cancelled: its cancellation already waited, so it was never handed out.
    await expect(early.result()).rejects.toThrow(new TaskCancelled('early', 'no longer needed'));
    expect(started).not.toContain('2');
    expect(store.history('early').map((r) => r.kind)).toEqual(['task.submitted', 'task.cancelled']);

    const running = await client.submit({ type: 'wait', input: 1, capabilities: ['wait'] });
    await until(() => started.includes('1'));
    await running.cancel('user changed their mind');
    await expect(running.result()).rejects.toThrow(
      new TaskCancelled(running.id, 'user changed their mind'),
    );
    expect(aborted.at(-1)).toMatchObject({ why: 'cancelled' });

    const quick = await client.submit({ type: 'wait', input: 0, capabilities: ['wait'] });
    expect(await quick.result()).toBe('quick');
    await client.cancel(quick.id);
    await client.cancel('no-such-task');
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const waiting = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM ${schema}.cancellations`)).rows[0]?.n);
    await until(async () => (await waiting()) === 0);
    expect(system.task(quick.id).state).toBe('completed');
    expect(await quick.result()).toBe('quick');
    await until(() => ended.length === 3);
    expect(ended).toEqual(['early:cancelled', `${running.id}:cancelled`, `${quick.id}:completed`]);
    await expect(client.cancel('')).rejects.toThrow(
      'cancel: taskId must be a non-empty string, got ""',
    );
    expect(() => client.task(7 as never)).toThrow('task: taskId must be a non-empty string, got 7');
    // Any task by its id, whoever submitted it.
    expect(await client.task(quick.id).result()).toBe('quick');
    await db.end();
    await intake.close();
    await system.stop();
    await store.close();
    await client.close();
  });

  it('wait while their task is still on its way in, and go when the cluster does not know it', async () => {
    const schema = 'cancels_waiting';
    const url = await dir.postgresUrl();
    const store = await dir.postgres({ schema });
    const system = createSystem({ store, agents: [{ id: 'w', handler: () => 1 }] }).start();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`INSERT INTO ${schema}.submissions (task_id, spec) VALUES ('queued', '{}');
      INSERT INTO ${schema}.cancellations (task_id, reason)
      VALUES ('queued', 'r'), ('being-taken', 'r'), ('ghost', 'r')`);
    await applyCancellations(system, store, (taskId) => taskId === 'being-taken');
    const left = await db.query(`SELECT task_id FROM ${schema}.cancellations ORDER BY seq`);
    expect(left.rows.map((r) => r.task_id)).toEqual(['queued', 'being-taken']);
    await db.end();
    await system.stop();
    await store.close();
  });

  it("take a submission in cancelled, and leave an operator's pause of dispatch as it was", async () => {
    const schema = 'cancels_paused';
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const doomed = await client.submit({ id: 'doomed', type: 't', capabilities: ['t'] });
    await client.cancel('doomed', 'too late');
    const kept = await client.submit({ id: 'kept', type: 't', capabilities: ['t'] });
    const store = await dir.postgres({ schema });
    const ran: string[] = [];
    const system = createSystem({
      store,
      agents: [
        { id: 'w', capabilities: ['t'], handler: (_: unknown, ctx) => ran.push(ctx.taskId) },
      ],
    }).start();
    system.pauseDispatch();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    await expect(doomed.result()).rejects.toThrow(new TaskCancelled('doomed', 'too late'));
    await until(() => system.stats().tasks.queued === 1);
    expect(system.dispatchPaused).toBe(true);
    expect(system.task('kept').state).toBe('ready');
    system.resumeDispatch();
    expect(await kept.result()).toBe(1);
    expect(ran).toEqual(['kept']);
    await intake.close();
    await system.stop();
    await store.close();
    await client.close();
  });

  it('cancel a submission its QoS class delays: it enters cancelled, never started', async () => {
    const schema = 'cancels_delayed';
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const store = await dir.postgres({ schema });
    const ran: string[] = [];
    let release = () => {};
    const system = createSystem({
      store,
      qos: {
        classes: { web: { sloMs: 60_000, queueCap: 1, overload: 'delay', maxDelayMs: 60_000 } },
        default: 'web',
      },
      agents: [
        {
          id: 'w',
          handler: (_: unknown, ctx) => {
            ran.push(ctx.taskId);
            return new Promise((resolve) => {
              release = () => resolve('done');
            });
          },
        },
      ],
    }).start();
    // Which submissions the intake has handed to the system (the second then waits for room).
    const handed: string[] = [];
    const submit = system.submit.bind(system);
    system.submit = (spec) => {
      handed.push(String(spec.id));
      return submit(spec);
    };
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    const first = await client.submit({ id: 'first', type: 't' });
    await until(() => ran.includes('first'));
    const second = await client.submit({ id: 'second', type: 't' });
    await until(() => handed.includes('second'));
    expect(() => system.task('second')).toThrow(/second/); // waiting for the class's room
    await client.cancel('second', 'changed plans');
    await expect(second.result()).rejects.toThrow(new TaskCancelled('second', 'changed plans'));
    expect(store.history('second').map((r) => r.kind)).toEqual([
      'task.submitted',
      'task.cancelled',
    ]);
    release();
    expect(await first.result()).toBe('done');
    expect(ran).toEqual(['first']);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const left = async (table: string) =>
      Number((await db.query(`SELECT count(*) AS n FROM ${schema}.${table}`)).rows[0]?.n);
    await until(async () => (await left('submissions')) + (await left('cancellations')) === 0);
    await db.end();
    await intake.close();
    await system.stop();
    await store.close();
    await client.close();
  });

  it('from the command line: overseer cancel, waiting until the task ended', async () => {
    const schema = 'cancels_cli';
    const url = await dir.postgresUrl();
    const store = await dir.postgres({ schema });
    const system = createSystem({
      store,
      agents: [
        {
          id: 'waiter',
          concurrency: 2,
          handler: (n: number, ctx) =>
            n === 0
              ? 'quick'
              : new Promise((_, reject) =>
                  ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
                ),
        },
      ],
    }).start();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    const stuck = await system.submit({ type: 'x', input: 1 });
    const quick = await system.submit({ type: 'x', input: 0 });
    await quick.result();
    const cancel = (taskId: string, ...more: string[]) =>
      overseerCli('cancel', taskId, '--db', url, '--schema', schema, ...more);
    expect(await cancel(stuck.id, '--reason', 'stuck for an hour', '--wait')).toEqual({
      code: 0,
      stdout: `asked the cluster to cancel task ${stuck.id}\ntask ${stuck.id} is cancelled\n`,
    });
    await expect(stuck.result()).rejects.toThrow(new TaskCancelled(stuck.id, 'stuck for an hour'));
    expect(await cancel(quick.id, '--wait')).toEqual({
      code: 1,
      stdout: `asked the cluster to cancel task ${quick.id}\ntask ${quick.id} had completed: nothing to cancel\n`,
    });
    const unknown = await cancel('nope', '--wait');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/^asked the cluster to cancel task nope\ntask nope: .*nope/);
    await intake.close();
    await system.stop();
    await store.close();
  });
});
