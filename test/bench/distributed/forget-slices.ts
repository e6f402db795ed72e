// How long a leader's lease renewal waits while a first start forgets the finished tasks
// above retainFinished (by hand):
//   npx tsx test/bench/distributed/forget-slices.ts [finished] [retain]
// Fills a fresh database with `finished` finished tasks (default 300,000), opens a store
// under a leader lease and starts a system with `retainFinished: retain` (default 1,000)
// on it. Beside it, a process of its own updates the leader row every 20 ms, as a renewal
// does, for 15 s, and prints the longest it waited: a batch holds that row FOR SHARE.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { createSystem, postgresStore } from '../../../src/index.js';
import { finishTasks } from '../../support/finished-tasks.js';
import { onFreshDatabase } from './fresh-database.js';

const finished = Number(process.argv[2] ?? 300_000);
const retain = Number(process.argv[3] ?? 1_000);

/** Updates the leader row every 20 ms for `ms`; resolves with the longest wait, in ms. */
function renewing(url: string, ms: number): Promise<number> {
  const code = `const pg = require('pg');
    (async () => {
      const c = new pg.Client({ connectionString: ${JSON.stringify(url)} });
      await c.connect();
      let worst = 0;
      for (const end = Date.now() + ${ms}; Date.now() < end; ) {
        const s = performance.now();
        await c.query('UPDATE overseer.leader SET until = until WHERE id = 1');
        worst = Math.max(worst, performance.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
      console.log(worst.toFixed(0));
      await c.end();
    })();`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', () => resolve(Number(out))));
}

await onFreshDatabase(async (url) => {
  await finishTasks(url, finished);
  const store = await postgresStore(url, { leader: { holder: 'bench', epoch: 1, leaseMs: 5_000 } });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(
    `INSERT INTO overseer.leader (id, holder, epoch, until) VALUES (1, 'bench', 1, now() + interval '1 hour')`,
  );
  const worst = renewing(url, 15_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const system = createSystem({ store, retainFinished: retain, agents: [] }).start();
  const waited = await worst;
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM overseer.tasks');
  process.stdout.write(
    `${finished.toLocaleString('en')} finished, retainFinished ${retain.toLocaleString('en')}: ` +
      `a renewal waited up to ${waited} ms; ${rows[0]?.n} tasks left in the store after 15 s\n`,
  );
  await system.stop();
  await store.close();
  await db.end();
});
