// A client's batches, as a system's: `submitMany` is durable whole when it resolves, and
// the leader takes the batch in whole (dependencies within it kept) or refuses it whole,
// also when it is larger than what the leader reads at a time; `submitBatch` puts the
// batch's class and deadline on each task. The client refuses at once what it can check,
// naming the task by its index. A batch is never split between the writer's groups.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { SUBMISSION_GROUP, SubmissionWriter } from '../../src/cluster/submission-writer.js';
import {
  DependencyCycle,
  DuplicateTaskId,
  InvalidTaskSpec,
  SubmissionRefused,
  type SystemOptions,
  TaskCancelled,
} from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';
import { intakeLeader } from '../support/intake-leader.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** A leader taking submissions in on schema `schema` (once `lead()`), and a client of it. */
async function cluster(schema: string, options: Omit<SystemOptions, 'store'>) {
  const url = await dir.postgresUrl();
  const client = await connectCluster(url, { schema, pollMs: 50 });
  const leader = await intakeLeader(dir, schema, options, { start: false });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const waiting = async () =>
    Number((await db.query(`SELECT count(*) AS n FROM ${schema}.submissions`)).rows[0]?.n);
  const cancellations = async () =>
    (await db.query(`SELECT task_id FROM ${schema}.cancellations ORDER BY seq`)).rows.map(
      (row) => row.task_id as string,
    );
  return {
    ...leader,
    client,
    waiting,
    cancellations,
    close: async () => {
      await leader.close();
      await db.end();
      await client.close();
    },
  };
}

describe("a client's batches", () => {
  it('are taken in whole, dependencies within them kept, and refused whole', async () => {
    const ran: string[] = [];
    const c = await cluster('batches', {
      agents: [
        {
          id: 'w',
          capabilities: ['step'],
          handler: (_: unknown, ctx) => ran.push(ctx.taskId),
        },
      ],
    });
    const step = (id: string, dependsOn: string[] = []) => ({
      id,
      type: 'step',
      capabilities: ['step'],
      dependsOn,
    });
    // Before a leader: each batch waits whole, durable.
    const chain = await c.client.submitMany([step('c', ['b']), step('b', ['a']), step('a')]);
    expect(chain.map((t) => t.id)).toEqual(['c', 'b', 'a']);
    // Larger than the intake reads at a time (500), its last task refused: all refused.
    const big = await c.client.submitMany([
      ...Array.from({ length: 1_199 }, (_, i) => step(`big-${i}`)),
      { id: 'big-gpu', type: 'render', capabilities: ['gpu'] },
    ]);
    expect(await c.waiting()).toBe(1_203);
    await c.lead();
    expect(await Promise.all(chain.map((t) => t.result()))).toEqual([3, 2, 1]);
    expect(ran.slice(0, 3)).toEqual(['a', 'b', 'c']);
    for (const task of [big[0], big[600], big[1_199]])
      await expect(task?.result()).rejects.toThrow(SubmissionRefused);
    await expect(big[0]?.result()).rejects.toThrow(/gpu/);
    expect(() => c.system.task('big-0')).toThrow(/big-0/);
    expect(ran.filter((id) => id.startsWith('big-'))).toEqual([]);
    await until(async () => (await c.waiting()) === 0);
    expect(await c.client.submitMany([])).toEqual([]);
    await c.close();
  });

  it('are refused at once by the client for what it can check, naming the task', async () => {
    const url = await dir.postgresUrl();
    const client = await connectCluster(url, { schema: 'batch_checks' });
    const refused = (specs: unknown) => client.submitMany(specs as never);
    await expect(refused([{ type: 'ok' }, { type: 7 }])).rejects.toThrow(
      expect.objectContaining({ field: 'tasks[1].type' }),
    );
    await expect(refused([{ type: 'ok' }, { type: 'x', outputSchema: {} }])).rejects.toThrow(
      expect.objectContaining({ field: 'tasks[1].outputSchema' }),
    );
    await expect(
      refused([
        { id: 'x', type: 't' },
        { id: 'x', type: 't' },
      ]),
    ).rejects.toThrow(DuplicateTaskId);
    await expect(
      refused([
        { id: 'p', type: 't', dependsOn: ['q'] },
        { id: 'q', type: 't', dependsOn: ['p'] },
      ]),
    ).rejects.toThrow(DependencyCycle);
    await expect(refused({ type: 't' })).rejects.toThrow(
      new TypeError('submitMany expects an array of task specs'),
    );
    await expect(client.submitBatch([{ type: 't' }], { deadline: 5 })).rejects.toThrow(
      InvalidTaskSpec,
    );
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query('SELECT count(*)::int AS n FROM batch_checks.submissions');
    expect(rows[0]?.n).toBe(0); // nothing of a refused batch was written
    await db.end();
    await client.close();
  });

  it("carry an online batch's class and deadline, and cancel whole, a waiting cancel kept", async () => {
    const started: string[] = [];
    const c = await cluster('online', {
      qos: { classes: { web: { sloMs: 60_000 }, bulk: { sloMs: 600_000 } }, default: 'bulk' },
      agents: [
        {
          id: 'w',
          concurrency: 4,
          handler: (n: number, ctx) => {
            started.push(ctx.taskId);
            if (n === 0) return 'quick';
            return new Promise((_, reject) =>
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
            );
          },
        },
      ],
    });
    const deadline = Date.now() + 120_000;
    const quick = await c.client.submitBatch(
      [
        { id: 'q1', type: 't', input: 0 },
        { id: 'q2', type: 't', input: 0, qos: 'bulk' },
      ],
      { qos: 'web', deadline },
    );
    const slow = await c.client.submitBatch([
      { id: 's1', type: 't', input: 1 },
      { id: 's2', type: 't', input: 1 },
    ]);
    await c.client.cancel('s2', 'not wanted'); // waits for its batch, which is not taken in
    await c.lead();
    expect(await quick.result()).toEqual(['quick', 'quick']);
    const specOf = (id: string) => {
      const submitted = c.store.history(id)[0];
      return submitted?.kind === 'task.submitted' ? submitted.spec : undefined;
    };
    expect(specOf('q1')).toMatchObject({ qos: 'web', deadline });
    expect(specOf('q2')).toMatchObject({ qos: 'bulk', deadline });
    expect(specOf('s1')).toMatchObject({ qos: 'bulk' });
    await expect(slow.tasks[1]?.result()).rejects.toThrow(new TaskCancelled('s2', 'not wanted'));
    await until(() => started.includes('s1'));
    expect(started).not.toContain('s2');
    await slow.cancel('all done');
    await expect(slow.tasks[0]?.result()).rejects.toThrow(new TaskCancelled('s1', 'all done'));
    await expect(slow.result()).rejects.toThrow(TaskCancelled);
    expect(slow.id).toEqual(expect.any(String));
    await c.close();
  });

  it('keep a cancellation of a task whose batch waits for room until the batch enters', async () => {
    let release = () => {};
    const ran: string[] = [];
    const c = await cluster('delayed_batch', {
      qos: {
        classes: { web: { sloMs: 60_000, queueCap: 2, overload: 'delay', maxDelayMs: 60_000 } },
        default: 'web',
      },
      agents: [
        {
          id: 'w',
          handler: (_: unknown, ctx) => {
            ran.push(ctx.taskId);
            if (ctx.taskId !== 'blocker') return 'done';
            return new Promise((resolve) => {
              release = () => resolve('done');
            });
          },
        },
      ],
    });
    const handed: string[] = [];
    const cancels: string[] = [];
    const { submitMany, cancel } = c.system;
    c.system.submitMany = (specs) => {
      handed.push(...specs.map((s) => String(s.id)));
      return submitMany.call(c.system, specs);
    };
    c.system.cancel = (taskId, reason) => {
      cancels.push(taskId);
      return cancel.call(c.system, taskId, reason);
    };
    await c.lead();
    const blocker = await c.client.submit({ id: 'blocker', type: 't' });
    await until(() => ran.includes('blocker'));
    const [x, y] = await c.client.submitMany([
      { id: 'x', type: 't' },
      { id: 'y', type: 't' },
    ]);
    await until(() => handed.includes('x')); // the batch waits for its class's room
    await c.client.cancel('x', 'not needed');
    // Applied again at each read while the batch waits: nothing of it is stored yet, so the
    // request stays for a leader that would take over meanwhile.
    await until(() => cancels.filter((id) => id === 'x').length >= 3);
    expect(() => c.system.task('x')).toThrow(/x/);
    expect(await c.cancellations()).toEqual(['x']);
    release();
    expect(await blocker.result()).toBe('done');
    await expect(x?.result()).rejects.toThrow(new TaskCancelled('x', 'not needed'));
    expect(await y?.result()).toBe('done');
    expect(ran).toEqual(['blocker', 'y']);
    await until(async () => (await c.cancellations()).length === 0);
    await c.close();
  });

  it('refuse a submission whose spec a process of ours did not write, instead of reading it forever', async () => {
    const c = await cluster('garbled', { agents: [{ id: 'w', handler: () => 1 }] });
    const url = await dir.postgresUrl();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`INSERT INTO garbled.submissions (task_id, spec) VALUES ('bad', '{not json')`);
    await c.lead();
    const after = await c.client.submit({ type: 't' });
    expect(await after.result()).toBe(1);
    await expect(c.client.task('bad').result()).rejects.toThrow(
      'invalid task spec: spec of task bad is not valid JSON',
    );
    await db.end();
    await c.close();
  });
});

describe("the writer's groups", () => {
  it('never split a batch: a group ends before one that would not fit, a larger one goes alone', async () => {
    const statements: number[] = [];
    const pool = {
      query: async (_text: string, [rows]: [string]) => {
        statements.push((JSON.parse(rows) as unknown[]).length);
        return { rows: [] };
      },
    };
    const writer = new SubmissionWriter(pool as never, 's.submissions', 'wake');
    const rows = (n: number, name: string) =>
      Array.from({ length: n }, (_, i) => ({ taskId: `${name}-${i}`, spec: '{}' }));
    const singles = Array.from({ length: 600 }, (_, i) => writer.write(`one-${i}`, '{}'));
    await Promise.all([
      ...singles,
      writer.writeBatch(rows(600, 'a'), 'a'),
      writer.writeBatch(rows(SUBMISSION_GROUP + 500, 'b'), 'b'),
      writer.write('last', '{}'),
    ]);
    expect(statements).toEqual([600, 600, SUBMISSION_GROUP + 500, 1]);
  });
});
