// Refuses a transaction-mode connection pooler between overseer and PostgreSQL (PgBouncer's
// `pool_mode = transaction`, the pooled ports of hosted databases). Such a pooler lends a
// backend to a connection for one transaction, so what overseer keeps on its backends
// breaks at random: a prepared statement is "already there" or "not there", a LISTEN hears
// nothing. Found at open, with no false alarm: while one connection holds its backend it
// asks, on a second connection, for that one's; directly or through a session pool they
// always differ, and a transaction pooler hands the backend the first just left to the
// second (PgBouncer reuses the last released server first), so they are the same.
import type { Pool } from 'pg';
import { PoolerUnsupported } from '../../errors/index.js';
import { type CheckedOut, checkOut } from './checked-out.js';

/** Throws PoolerUnsupported when two connections of `pool` share a backend; `where` names it. */
export async function refuseTransactionPooler(pool: Pool, where: string): Promise<void> {
  // A pool of one connection cannot hold two at once: nothing to compare.
  if ((pool.options.max ?? 10) < 2) return;
  const pid = async ({ client }: CheckedOut) =>
    (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const first = await checkOut(pool);
  try {
    const mine = await pid(first);
    const second = await checkOut(pool);
    try {
      const theirs = await pid(second);
      if (mine !== undefined && mine === theirs) throw new PoolerUnsupported(where, mine);
    } finally {
      second.release();
    }
  } finally {
    first.release();
  }
}
