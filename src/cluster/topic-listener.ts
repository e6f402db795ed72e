// A LISTEN connection for one topic of a cluster's store: `onNotify` hears each notice.
// When its connection breaks (a database restart) it gives its pool slot back, once, and
// listens again on a new connection as soon as the database takes one (backing off up to a
// few seconds); notices sent meanwhile are gone, so its users poll behind it, or read back
// what they missed each time `onListening` says it listens (again).
import type { Notification, Pool, PoolClient } from 'pg';
import { wakeChannel } from '../store/postgres/notify-names.js';

export interface TopicListener {
  /** Stops listening and releases the connection; safe to call twice. */
  drop(): void;
}

/** Longest wait between two attempts to listen again, in ms. */
const MAX_BACKOFF_MS = 2_000;

export async function listenFor(
  pool: Pool,
  schema: string,
  topic: string,
  onNotify: (notice: Notification) => void,
  onListening?: () => void,
): Promise<TopicListener> {
  let dropped = false;
  let retry: NodeJS.Timeout | undefined;
  let current: { client: PoolClient; release(): void } | undefined;

  /** Listens on a new connection; after a break, tries again (from a short wait). */
  const connect = async (): Promise<void> => {
    const client = await pool.connect();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      client.release(true);
    };
    const broke = () => {
      release();
      if (current?.client === client) current = undefined;
      if (!dropped) again(50);
    };
    client.on('error', broke);
    client.on('end', broke);
    client.on('notification', onNotify);
    try {
      await client.query(`LISTEN ${wakeChannel(schema, topic)}`);
    } catch (error) {
      client.removeListener('end', broke);
      client.removeListener('error', broke);
      client.on('error', () => undefined);
      release();
      throw error;
    }
    if (dropped) release();
    else {
      current = { client, release };
      onListening?.();
    }
  };

  const again = (wait: number) => {
    if (dropped || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (dropped) return;
      connect().catch(() => again(Math.min(wait * 2, MAX_BACKOFF_MS)));
    }, wait);
    retry.unref();
  };

  await connect();
  return {
    drop() {
      dropped = true;
      clearTimeout(retry);
      current?.release();
      current = undefined;
    },
  };
}
