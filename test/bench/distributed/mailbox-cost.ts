// What a message through the cluster's mailbox costs, and what a bare round trip to the
// database costs, on this machine: two mailboxes in this process (a sender and a reader, as a
// supervisor and a node) on a fresh database, TURNS turns of 70 run messages each; it prints
// the database backends' CPU and this process's CPU per message, and a `SELECT 1`'s and a
// one-insert transaction's backend CPU. By hand:
//   npx tsx test/bench/distributed/mailbox-cost.ts [turns]
import pg from 'pg';
import { Mailbox } from '../../../src/cluster/mailbox.js';
import { postgresStore } from '../../../src/index.js';
import { tableNamer } from '../../../src/store/postgres/postgres-schema.js';
import { onFreshDatabase } from './fresh-database.js';
import { processesSeconds, processSeconds, spentBetween } from './machine-cpu.js';

const turns = Number(process.argv[2] ?? 1_000);
const PER_TURN = 70;
if (!Number.isInteger(turns) || turns < 1) {
  process.stderr.write('usage: mailbox-cost.ts [turns]\n');
  process.exit(2);
}

await onFreshDatabase(async (url) => {
  await (await postgresStore(url)).close(); // the schema
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  const q = tableNamer('overseer');
  try {
    const total = turns * PER_TURN;
    let delivered = 0;
    let allIn: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    /** A mailbox reading the rows to `me`, woken on `me`. */
    const mailbox = (me: string, deliver: (messages: readonly unknown[]) => void) =>
      new Mailbox(pool, 'overseer', q('mailbox'), () => [me], [me], deliver);
    const reader = mailbox('rx', (m) => {
      delivered += m.length;
      if (delivered >= total) allIn();
    });
    const sender = mailbox('tx', () => {});
    await reader.open();
    await sender.open();
    const channel = 'noop-1/abcdefghij';
    sender.openChannel(channel, 'rx', 'rx');
    reader.openChannel(channel, 'tx', 'tx');
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const pids = rows.map((r) => r.pid);
    const db0 = processesSeconds(pids);
    const self0 = process.cpuUsage();
    for (let t = 0; t < turns; t++) {
      for (let i = 0; i < PER_TURN; i++)
        sender.send(channel, { v: 1, type: 'run', taskId: `task-${t}-${i}`, attempt: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await done;
    const self = process.cpuUsage(self0);
    const dbUs = (spentBetween(db0, processesSeconds(pids)) * 1e6) / total;
    const selfUs = (self.user + self.system) / total;
    await sender.close();
    await reader.close();

    // A bare round trip, and a transaction of one insert, on the admin connection's backend.
    const [{ pid } = { pid: 0 }] = (
      await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    ).rows;
    await admin.query('CREATE TABLE probe (id bigint PRIMARY KEY, v text)');
    const backendUs = async (n: number, once: (i: number) => Promise<unknown>) => {
      const before = processSeconds(pid) ?? 0;
      for (let i = 0; i < n; i++) await once(i);
      return (((processSeconds(pid) ?? 0) - before) * 1e6) / n;
    };
    const select = await backendUs(3_000, () => admin.query('SELECT 1'));
    const insert = await backendUs(3_000, async (i) => {
      await admin.query('BEGIN');
      await admin.query({
        name: 'probe',
        text: 'INSERT INTO probe VALUES ($1, $2)',
        values: [i, 'x'],
      });
      await admin.query('COMMIT');
    });
    process.stdout.write(
      `mailbox, ${total} messages in turns of ${PER_TURN}: the database ${dbUs.toFixed(1)} µs ` +
        `CPU a message, this process (sender and reader) ${selfUs.toFixed(1)} µs; ` +
        `${reader.reads} reads\n` +
        `a round trip (SELECT 1): ${select.toFixed(0)} µs of its backend's CPU; ` +
        `a transaction of one insert: ${insert.toFixed(0)} µs\n`,
    );
  } finally {
    await pool.end();
    await admin.end();
  }
});
