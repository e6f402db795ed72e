// The chaos test: a cluster of processes on loopback (a leader and a standby supervisor, two
// agent nodes) on a PostgreSQL server the test owns, 500 tasks from a client, and at seeded
// points: the leader SIGKILLed, a node SIGKILLed, the leader SIGSTOPped past its lease and
// let go on, PostgreSQL crash-restarted (immediate). Processes that die are started again, as
// a process manager would. Checked on the final database: every acknowledged submission
// exists once; each task ended once, completed; attempts within the retry policy; no task
// ran twice at once (across leaders); no completed task ran again after its completion.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { seededRandom } from '../../machines/seeded-random.js';
import { connectCluster } from '../../src/cluster/cluster-client.js';
import { startEmbeddedPostgres } from '../support/postgres-embedded.js';
import { Cluster } from './cluster-processes.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const TASKS = 500;
/** CI runs seeds 1 to 3; OVERSEER_CHAOS_SEEDS=40,41,... runs others by hand. */
const SEEDS = (process.env.OVERSEER_CHAOS_SEEDS ?? '1,2,3').split(',').map(Number);
if (!SEEDS.every((seed) => Number.isSafeInteger(seed) && seed > 0))
  throw new Error(`OVERSEER_CHAOS_SEEDS must list positive integers, got ${SEEDS.join(',')}`);

/** `attempt` until it resolves, through a database that restarts meanwhile. */
async function persist<T>(attempt: () => Promise<T>): Promise<T> {
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    try {
      return await attempt();
    } catch (error) {
      if (!/connect|terminat|shut|ECONN|starting up|recovery/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

describe.each(SEEDS)('chaos with seed %i', (seed) => {
  it('keeps every acknowledged task, ends each once, within policy, never rerunning a completed one', async () => {
    const server = await startEmbeddedPostgres();
    const cluster = new Cluster(
      server.url,
      fixture('chaos-cluster.ts'),
      fixture('chaos-agents.ts'),
    );
    const admin = new pg.Pool({ connectionString: server.url, max: 2 });
    admin.on('error', () => undefined);
    // Also when the test times out: its processes and server must not outlive it.
    onTestFinished(async () => {
      clearInterval(debug);
      await cluster.stop();
      await admin.end().catch(() => undefined);
      await server.stop();
    });
    let debug: NodeJS.Timeout | undefined;
    await admin.query(`CREATE SCHEMA chaos; CREATE TABLE chaos.runs (id SERIAL, task_id TEXT,
      attempt INT, pid INT, at DOUBLE PRECISION DEFAULT (extract(epoch FROM clock_timestamp()) * 1000),
      ended DOUBLE PRECISION)`);
    await cluster.supervisor();
    await cluster.leading();
    await cluster.supervisor();
    await cluster.node();
    await cluster.node();
    const client = await persist(() => connectCluster(server.url, { pollMs: 100 }));
    // The faults, each at a seeded number of finished tasks.
    const random = seededRandom(seed);
    const faults: [string, () => Promise<void>][] = [
      ['kill the leader', () => cluster.killLeader()],
      ['kill a node', () => cluster.killNode(Math.floor(random() * 2))],
      ['stop the leader past its lease', () => cluster.stallLeader()],
      ['restart PostgreSQL', () => server.restartImmediate()],
    ];
    const plan = faults
      .map(([name, act]) => ({ name, act, at: 40 + Math.floor(random() * (TASKS - 120)) }))
      .sort((a, b) => a.at - b.at);
    let finished = 0;
    debug = process.env.CHAOS_DEBUG
      ? setInterval(() => {
          console.log(
            `finished ${finished}/${TASKS}, acked ${acknowledged.length}, faults ${JSON.stringify(done)}`,
          );
          console.log(cluster.log.splice(0).join('').slice(-3000));
        }, 3_000)
      : undefined;
    let faulting = Promise.resolve();
    const done: string[] = [];
    const acknowledged: string[] = [];
    const results = await Promise.all(
      Array.from({ length: TASKS }, async (_, i) => {
        const key = `chaos-${i}`;
        const spec = {
          type: 'work',
          capabilities: ['work'],
          input: { n: i, ms: 5 + (i % 7) },
          idempotencyKey: key,
        };
        const task = await persist(() => client.submit(spec));
        acknowledged.push(key);
        const output = await persist(() => task.result());
        finished++;
        for (const fault of plan.filter((f) => f.at === finished)) {
          done.push(fault.name);
          faulting = faulting.then(fault.act);
        }
        return output;
      }),
    );
    await faulting;
    clearInterval(debug);
    expect(done).toEqual(plan.map((f) => f.name));
    expect(results).toEqual(Array.from({ length: TASKS }, (_, i) => i * 2));
    await client.close();

    const db = (text: string) => persist(() => admin.query(text));
    // Every acknowledged submission exists, once.
    const keys = await db(
      `SELECT idempotency_key AS key, count(*)::int AS n FROM overseer.tasks GROUP BY idempotency_key`,
    );
    expect(keys.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(keys.rows.map((r) => r.key).sort()).toEqual([...acknowledged].sort());
    // Each task ended once, completed, within its retry policy.
    const states = await db(
      `SELECT state, count(*)::int AS n, max(attempt) AS most FROM overseer.tasks GROUP BY state`,
    );
    expect(states.rows).toEqual([{ state: 'completed', n: TASKS, most: expect.any(Number) }]);
    expect(states.rows[0].most).toBeLessThanOrEqual(10);
    const ends = await db(`SELECT task_id, count(*)::int AS n FROM overseer.task_records
      WHERE kind IN ('task.completed', 'task.failed', 'task.cancelled') GROUP BY task_id`);
    expect(ends.rows).toHaveLength(TASKS);
    expect(ends.rows.filter((r) => r.n !== 1)).toEqual([]);
    // No completed task ran again after its recorded completion.
    const late = await db(`SELECT r.task_id, r.attempt FROM chaos.runs r
      JOIN overseer.tasks t ON t.task_id = r.task_id WHERE r.at > t.finished_at`);
    expect(late.rows).toEqual([]);
    // No task ran twice at once (an old leader's attempt still going when a new one
    // started it again): a run that finished ended before the task's next run began.
    const overlapping = await db(`SELECT a.task_id FROM chaos.runs a JOIN chaos.runs b
      ON a.task_id = b.task_id AND a.id <> b.id AND a.at <= b.at AND a.ended > b.at`);
    expect(overlapping.rows).toEqual([]);
    const runs = await db(`SELECT count(*)::int AS n FROM chaos.runs`);
    expect(runs.rows[0].n).toBeLessThanOrEqual(TASKS * 10);
  }, 180_000);
});
