// Clients of a cluster submit from any process connected to its database: durable when
// submit resolves, taken in by the leader exactly once, results and ends read back across
// processes; a resubmission with the same idempotency key finds the first task.
import pg from 'pg';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { takeSubmissions } from '../../src/cluster/submission-intake.js';
import {
  createSystem,
  InvalidTaskSpec,
  type ListenerFailed,
  NonRetryableError,
  SubmissionRefused,
  TaskFailed,
  UnknownTask,
} from '../../src/index.js';
import { ENDED_TOPIC, wakeChannel } from '../../src/store/postgres/notify-names.js';
import { tempDir } from '../store/fixtures.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('a cluster client', () => {
  it('submits durably, and reads results and ends back, whoever runs the task', async () => {
    const schema = 'clients';
    const url = await dir.postgresUrl();
    // The client comes first: its submissions wait, durable, until a leader takes them in.
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const ended: string[] = [];
    client.onEnded((e) => ended.push(`${e.taskId}:${e.state}`));
    const early = await client.submit({ id: 'early', type: 'double', input: 1 });
    const store = await dir.postgres({ schema });
    const ran: number[] = [];
    const system = createSystem({
      store,
      agents: [
        {
          id: 'doubler',
          capabilities: ['double'],
          handler: (n: number) => {
            ran.push(n);
            if (n < 0) throw new NonRetryableError('negative');
            return n * 2;
          },
        },
      ],
    }).start();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    expect(await early.result()).toBe(2);
    const tasks = await Promise.all(
      [2, 3, 4].map((n) => client.submit({ type: 'double', input: n, capabilities: ['double'] })),
    );
    expect(await Promise.all(tasks.map((t) => t.result()))).toEqual([4, 6, 8]);
    // Again with the same key, as after a reconnect: the first task's result, not a new run.
    const once = await client.submit({ type: 'double', input: 5, idempotencyKey: 'k5' });
    expect(await once.result()).toBe(10);
    const again = await client.submit({ type: 'double', input: 5, idempotencyKey: 'k5' });
    expect(await again.result()).toBe(10);
    expect(ran.filter((n) => n === 5)).toHaveLength(1);
    // A failure and a refusal come back as errors that say why.
    const bad = await client.submit({ type: 'double', input: -1 });
    await expect(bad.result()).rejects.toBeInstanceOf(TaskFailed);
    const nobody = await client.submit({ type: 'gpu', input: 1, capabilities: ['gpu'] });
    await expect(nobody.result()).rejects.toBeInstanceOf(SubmissionRefused);
    await expect(nobody.result()).rejects.toThrow(/gpu/);
    // Bad input is refused at the client, naming the field; nothing is stored.
    await expect(client.submit({ type: '' })).rejects.toBeInstanceOf(InvalidTaskSpec);
    // A schema is code: it stays on the leader (its system's outputSchemas, by task type).
    await expect(client.submit({ type: 'double', outputSchema: z.number() })).rejects.toThrow(
      /outputSchema cannot cross processes .*outputSchemas: \{ "double": schema \}/,
    );
    expect(ended).toContain('early:completed');
    expect(ended).toContain(`${bad.id}:failed`);
    // Each submission was taken in once: every task id exists once in the store.
    const ids = store.load(Date.now()).tasks.map((t) => t.taskId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(6); // early, 2, 3, 4, k5 once, -1 (gpu was refused)
    await intake.close();
    await system.stop();
    await client.close();
  });

  it('says UnknownTask for a task its leader has forgotten, instead of waiting for it forever', async () => {
    const schema = 'forgotten';
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const store = await dir.postgres({ schema });
    const system = createSystem({
      store,
      retainFinished: 1,
      agents: [{ id: 'doubler', capabilities: ['double'], handler: (n: number) => n * 2 }],
    }).start();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    const first = await client.submit({ type: 'double', input: 1, capabilities: ['double'] });
    expect(await first.result()).toBe(2);
    // The second task's end makes the leader forget the first, in its store too.
    const second = await client.submit({ type: 'double', input: 2, capabilities: ['double'] });
    const ended = new Promise<void>((resolve) =>
      system.on('task.completed', (e) => e.taskId === second.id && resolve()),
    );
    expect(await second.result()).toBe(4);
    await ended;
    await store.flush();
    await expect(first.result()).rejects.toBeInstanceOf(UnknownTask);
    await intake.close();
    await system.stop();
    await store.close();
    await client.close();
  });

  it('hears ends again after its connection to the database broke', async () => {
    const schema = 'relisten';
    // A database of its own: it ends every connection to it, and only its own should go.
    const own = tempDir();
    onTestFinished(() => own.remove());
    const url = await own.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const store = await own.postgres({ schema });
    const system = createSystem({
      store,
      agents: [{ id: 'doubler', capabilities: ['double'], handler: (n: number) => n * 2 }],
    }).start();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    const ended: string[] = [];
    client.onEnded((e) => ended.push(e.taskId));
    // Every connection to the database ends, the client's LISTEN connection among them.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rows: terminated } = await admin.query<{ pid: number }>(
      `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    // Once it listens again (on a new connection: a terminated one lingers in
    // pg_stat_activity a moment, its last query the LISTEN), ends reach it.
    const listen = `LISTEN ${wakeChannel(schema, ENDED_TOPIC)}`;
    const gone = terminated.map((r) => r.pid);
    while (
      (
        await admin.query(
          'SELECT 1 FROM pg_stat_activity WHERE query = $1 AND NOT (pid = ANY($2))',
          [listen, gone],
        )
      ).rowCount === 0
    )
      await admin.query('SELECT pg_sleep(0.02)');
    await admin.end();
    const task = await client.submit({ type: 'double', input: 21, capabilities: ['double'] });
    const heard = new Promise<void>((resolve) =>
      client.onEnded((e) => e.taskId === task.id && resolve()),
    );
    expect(await task.result()).toBe(42);
    await heard;
    expect(ended).toContain(task.id);
    await intake.close();
    await system.stop();
    await client.close();
  });

  it('hears, once and in order, the ends that came while it could not reach the database', async () => {
    const schema = 'away';
    const own = tempDir();
    onTestFinished(() => own.remove());
    const url = await own.postgresUrl();
    const store = await own.postgres({ schema });
    const system = createSystem({
      store,
      agents: [{ id: 'doubler', capabilities: ['double'], handler: (n: number) => n * 2 }],
    }).start();
    // The client logs in as a role of its own, which the test can lock out while the leader
    // (the superuser) goes on.
    const role = `away_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    onTestFinished(async () => {
      await admin.query(`DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
    });
    await admin.query(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN;
      GRANT USAGE ON SCHEMA ${schema} TO ${role};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
    const as = new URL(url);
    as.username = role;
    const client = await connectCluster(as.toString(), { schema, pollMs: 50 });
    const heard: string[] = [];
    client.onEnded((e) => heard.push(`${e.taskId}:${e.state}`));
    const first = await system.submit({ id: 'first', type: 'double', input: 1 });
    await first.result();
    await until(() => heard.length === 1);
    // Locked out, its connections ended: three tasks end while it cannot listen.
    await admin.query(`ALTER ROLE ${role} NOLOGIN`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [
      role,
    ]);
    for (const id of ['a', 'b', 'c']) {
      const task = await system.submit({ id, type: 'double', input: 2 });
      await task.result();
    }
    await store.flush();
    await admin.query(`ALTER ROLE ${role} LOGIN`);
    await until(() => heard.length === 4);
    const last = await system.submit({ id: 'last', type: 'double', input: 3 });
    await last.result();
    await until(() => heard.length >= 5);
    expect(heard).toEqual([
      'first:completed',
      'a:completed',
      'b:completed',
      'c:completed',
      'last:completed',
    ]);
    await system.stop();
    await client.close();
  });

  it('hears a later leader’s ends when the earlier one forgot every task it ended', async () => {
    // retainFinished 0: each task is forgotten once it ends, its end record with it. The
    // next leader must still number its records above every end the client has heard.
    const schema = 'forgetful';
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const heard: string[] = [];
    client.onEnded((e) => heard.push(e.taskId));
    const run = async (ids: string[]) => {
      const store = await dir.postgres({ schema });
      const system = createSystem({
        store,
        retainFinished: 0,
        agents: [{ id: 'doubler', capabilities: ['double'], handler: (n: number) => n * 2 }],
      }).start();
      for (const id of ids) await (await system.submit({ id, type: 'double', input: 1 })).result();
      await system.stop();
      await store.close();
    };
    await run(['a', 'b', 'c']);
    await until(() => heard.length === 3);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${schema}.tasks`);
    await db.end();
    expect(rows).toEqual([{ n: 0 }]);
    await run(['d']);
    await until(() => heard.length === 4);
    expect(heard).toEqual(['a', 'b', 'c', 'd']);
    await client.close();
  });

  it('goes on hearing ends when an onEnded listener throws', async () => {
    const schema = 'throwing';
    const url = await dir.postgresUrl();
    const caught: ListenerFailed[] = [];
    const client = await connectCluster(url, {
      schema,
      pollMs: 50,
      onListenerError: (error) => caught.push(error),
    });
    client.onEnded(() => {
      throw new Error('dashboard broke');
    });
    const heard: string[] = [];
    client.onEnded((e) => heard.push(e.taskId));
    const store = await dir.postgres({ schema });
    const system = createSystem({
      store,
      agents: [{ id: 'doubler', capabilities: ['double'], handler: (n: number) => n * 2 }],
    }).start();
    for (const id of ['a', 'b'])
      await (await system.submit({ id, type: 'double', input: 1 })).result();
    await until(() => heard.length === 2);
    expect(heard).toEqual(['a', 'b']);
    expect(caught.map((e) => [e.listener, (e.cause as Error).message])).toEqual([
      ['onEnded', 'dashboard broke'],
      ['onEnded', 'dashboard broke'],
    ]);
    await expect(connectCluster(url, { schema, onListenerError: 'log' as never })).rejects.toThrow(
      'connectCluster: onListenerError must be a function (error) => void, got "log"',
    );
    await system.stop();
    await store.close();
    await client.close();
  });
});
