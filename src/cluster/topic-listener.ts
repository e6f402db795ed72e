// A LISTEN connection for one topic of a cluster's store: `onNotify` hears each notice.
// When its connection breaks (a database restart) it gives its pool slot back, once, and
// the wake-ups stop; its users poll behind it.
import type { Notification, Pool } from 'pg';
import { wakeChannel } from '../store/postgres/notify-names.js';

export interface TopicListener {
  /** Releases the connection (once, whoever calls first: close or a broken connection). */
  drop(): void;
}

export async function listenFor(
  pool: Pool,
  schema: string,
  topic: string,
  onNotify: (notice: Notification) => void,
): Promise<TopicListener> {
  const client = await pool.connect();
  let listening = true;
  const drop = () => {
    if (!listening) return;
    listening = false;
    client.release(true);
  };
  client.on('error', drop);
  client.on('notification', onNotify);
  try {
    await client.query(`LISTEN ${wakeChannel(schema, topic)}`);
  } catch (error) {
    drop();
    throw error;
  }
  return { drop };
}
