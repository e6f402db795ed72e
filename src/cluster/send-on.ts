// A statement sent so that its sender knows when it surely did not take effect: a channel's
// messages that never reached the database may still be replaced in their slots
// (channel-ledger.ts), ones that may have landed may not.
import pg, { type Pool, type PoolClient, type QueryConfig } from 'pg';

/**
 * Runs `query` on a connection of `pool`: `done`, or, when it failed, `not-sent` when it
 * surely took no effect (no connection; the database refused the statement, which is one
 * transaction on an idle connection), else `may-have-landed` (the connection broke while
 * the statement was on its way).
 */
export async function sendOn(
  pool: Pool,
  query: QueryConfig,
): Promise<'done' | 'not-sent' | 'may-have-landed'> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch {
    return 'not-sent';
  }
  try {
    await client.query(query);
    client.release();
    return 'done';
  } catch (error) {
    const refused = error instanceof pg.DatabaseError;
    client.release(refused ? undefined : (error as Error));
    return refused ? 'not-sent' : 'may-have-landed';
  }
}
