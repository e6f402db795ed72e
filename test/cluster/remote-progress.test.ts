// A client hears the progress of the cluster's tasks as the leader relays it: each task's
// newest report at most every relay interval, in notices that fit PostgreSQL's payload
// limit; it listens only while someone subscribes.
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { NOTE_CHARS, relayProgress } from '../../src/cluster/progress-relay.js';
import { takeSubmissions } from '../../src/cluster/submission-intake.js';
import { createSystem, type OverseerSystem, type TaskProgress } from '../../src/index.js';
import { notifyName, PROGRESS_TOPIC } from '../../src/store/postgres/notify-names.js';
import { tempDir } from '../store/fixtures.js';
import { until } from '../support/until.js';

const dir = tempDir();
afterAll(() => dir.remove());
afterEach(() => vi.useRealTimers());

describe("the cluster's progress, across processes", () => {
  it('reaches a client while it listens, each task its own, the note cut to its bound', async () => {
    const schema = 'remote_progress';
    const url = await dir.postgresUrl();
    const store = await dir.postgres({ schema });
    const gates = new Map<string, () => void>();
    const system = createSystem({
      store,
      agents: [
        {
          id: 'w',
          concurrency: 3,
          handler: async (name: string, ctx) => {
            ctx.progress(0.5, `${name} half`);
            const opened = new Promise<void>((open) => gates.set(name, open));
            // Keeps reporting until its gate opens (a listener may come after its start).
            for (let open = false; !open && name === 'c'; ) {
              open = await Promise.race([
                opened.then(() => true),
                new Promise<boolean>((wait) => setTimeout(() => wait(false), 10)),
              ]);
              if (!open) ctx.progress(0.5, `${name} half`);
            }
            await opened;
            ctx.progress(1, 'x'.repeat(NOTE_CHARS + 100));
            return name;
          },
        },
      ],
    }).start();
    const intake = await takeSubmissions(system, store, { pollMs: 50 });
    const client = await connectCluster(url, { schema, pollMs: 50 });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const listening = async () =>
      Number(
        (
          await db.query(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE query = $1 AND datname = current_database()`,
            [`LISTEN "${notifyName(schema, PROGRESS_TOPIC)}"`],
          )
        ).rows[0]?.n,
      );
    expect(() => client.onProgress('no' as never)).toThrow(
      'onProgress: listener must be a function, got "no"',
    );
    expect(await listening()).toBe(0);

    const all: TaskProgress[] = [];
    const offAll = client.onProgress((p) => all.push(p));
    await until(async () => (await listening()) === 1);
    const a = await client.submit({ id: 'a', type: 'job', input: 'a' });
    const b = await client.submit({ id: 'b', type: 'job', input: 'b' });
    const ofA: TaskProgress[] = [];
    const offA = a.onProgress((p) => ofA.push(p));
    await until(() => all.length === 2);
    expect(all.toSorted((x, y) => x.taskId.localeCompare(y.taskId))).toEqual([
      { taskId: 'a', progress: 0.5, agentId: 'w', note: 'a half' },
      { taskId: 'b', progress: 0.5, agentId: 'w', note: 'b half' },
    ]);
    expect(ofA).toEqual([{ taskId: 'a', progress: 0.5, agentId: 'w', note: 'a half' }]);

    gates.get('a')?.();
    expect(await a.result()).toBe('a');
    await until(() => ofA.length === 2);
    expect(ofA[1]).toEqual({
      taskId: 'a',
      progress: 1,
      agentId: 'w',
      note: 'x'.repeat(NOTE_CHARS),
    });
    // A submission made again with its idempotency key hears the key's first task.
    const c = await client.submit({ type: 'job', input: 'c', idempotencyKey: 'kc' });
    await until(() => all.some((p) => p.taskId === c.id));
    const again = await client.submit({ type: 'job', input: 'c', idempotencyKey: 'kc' });
    const ofAgain: TaskProgress[] = [];
    const offAgain = again.onProgress((p) => ofAgain.push(p));
    await until(() => ofAgain.length > 0);
    expect(ofAgain[0]).toMatchObject({ taskId: c.id, note: 'c half' });
    offAgain();
    gates.get('c')?.();
    expect(await again.result()).toBe('c');
    offA();
    offAll();
    // Nobody subscribes: the client stops listening.
    await until(async () => (await listening()) === 0);
    gates.get('b')?.();
    expect(await b.result()).toBe('b');
    expect(all.filter((p) => p.taskId === 'b')).toHaveLength(1);
    await db.end();
    await intake.close();
    await system.stop();
    await store.close();
    await client.close();
  });

  it("tells each task's newest report once per interval, in payloads PostgreSQL takes", async () => {
    vi.useFakeTimers();
    type Progress = { taskId: string; progress: number; agentId: string; note?: string };
    let listener: ((event: Progress) => void) | undefined;
    const system = {
      on: (_type: string, l: (event: Progress) => void) => {
        listener = l;
        return () => {
          listener = undefined;
        };
      },
    } as unknown as OverseerSystem;
    const sent: string[][] = [];
    const pool = {
      query: (_text: string, values: [string, string[]]) => {
        sent.push(values[1]);
        return Promise.resolve();
      },
    } as unknown as pg.Pool;
    const relay = relayProgress(system, pool, 's', 200);
    for (let step = 1; step <= 10; step++)
      for (let task = 0; task < 40; task++)
        listener?.({
          taskId: `t${task}`,
          progress: step / 10,
          agentId: 'w',
          note: 'é'.repeat(600),
        });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(sent).toHaveLength(1);
    const payloads = sent[0] ?? [];
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(7_000);
    const entries = payloads.flatMap((p) => JSON.parse(p) as [string, number, string, string][]);
    expect(entries).toHaveLength(40);
    expect(new Set(entries.map(([taskId]) => taskId)).size).toBe(40);
    for (const [, progress, agentId, note] of entries) {
      expect(progress).toBe(1);
      expect(agentId).toBe('w');
      expect(note).toBe('é'.repeat(NOTE_CHARS));
    }
    // Nothing new, nothing sent; after close, nothing heard.
    vi.advanceTimersByTime(1_000);
    expect(sent).toHaveLength(1);
    relay.close();
    expect(listener).toBeUndefined();
  });
});
