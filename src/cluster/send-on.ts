// A statement sent so that its sender knows when it surely did not take effect: a channel's
// messages that never reached the database may still be replaced in their slots
// (channel-ledger.ts), ones that may have landed may not.
import pg, { type Pool, type PoolClient, type QueryConfig } from 'pg';

/** A send that surely did not land: no connection, or the database refused the statement. */
export class NotSent extends Error {}

/** Runs `query` on a connection of `pool`; NotSent when it surely did not take effect. */
export async function sendOn(pool: Pool, query: QueryConfig): Promise<void> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (cause) {
    throw new NotSent('no connection', { cause });
  }
  try {
    await client.query(query);
    client.release();
  } catch (cause) {
    // One statement, so one transaction: an error the server answered with committed nothing.
    const refused = cause instanceof pg.DatabaseError;
    client.release(refused ? undefined : (cause as Error));
    throw refused ? new NotSent('refused', { cause }) : cause;
  }
}
