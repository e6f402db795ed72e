// A connection taken out of the pool for a run of statements (a transaction, the schema's
// migration, the load). `pg` emits 'error' on a checked-out client whose connection breaks
// (a database restart), besides rejecting its query, and an 'error' nobody listens to ends
// the process: the pool only listens while a client is idle. A checked-out connection here
// is listened to until it goes back, and a broken one is destroyed, never handed out again.
import type { Pool, PoolClient } from 'pg';

export interface CheckedOut {
  readonly client: PoolClient;
  /** Gives it back; destroyed if it broke (or `error` says it is not fit to reuse). */
  release(error?: Error): void;
}

export async function checkOut(pool: Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  let released = false;
  return {
    client,
    release(error) {
      if (released) return;
      released = true;
      const unfit = error ?? broken;
      // A broken client keeps a listener: its socket may still report on its way out.
      if (!unfit) client.removeListener('error', onError);
      client.release(unfit);
    },
  };
}
