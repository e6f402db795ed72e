// Rows as mailboxes: how the processes of a cluster talk through PostgreSQL. A message is a
// row addressed to a recipient (a supervisor or a node) on a channel (one incarnation of a
// remote agent); the recipient takes its rows in order and deletes them in the same
// statement, so each is read once. Sending commits a turn's messages in one INSERT; a NOTIFY
// on the recipient's name wakes it, and it polls anyway, so a lost notification only costs
// a poll interval. The table is UNLOGGED (a crash of the server empties it), and a message
// whose statement broke with its connection may or may not have gone: so a broken
// connection is a broken socket, and `broken` tells the owner, who ends its channels (their
// agents restart, and their attempts are retried by policy), never waiting on a message that
// may be lost.
import type { Pool, PoolClient } from 'pg';
import { notifyName, wakeChannel } from '../store/postgres/notify-names.js';
import { statementName } from '../store/postgres/sql-op.js';

export interface MailboxMessage {
  readonly channel: string;
  readonly body: unknown;
}

export interface MailboxOptions {
  /** How often the inbox is read when no notification came, in ms. Default 100. */
  readonly pollMs?: number;
  /**
   * Messages may have been lost: a send or a read failed, or the listening connection broke
   * (the database restarted). Called once per such failure while the mailbox is open.
   */
  readonly broken?: (why: string) => void;
}

/**
 * The channel column of a row that carries a turn's messages for one recipient, its body a
 * JSON array of [channel, message] pairs: one row per recipient per turn, however many
 * messages (a turn's runs for an agent, or a node's results for its supervisor).
 */
const BATCH = '*';

export class Mailbox {
  /** This turn's messages by recipient, each already JSON: `[channel, body]`. */
  #outbox = new Map<string, { wake: string; parts: string[] }>();
  #sending: Promise<void> = Promise.resolve();
  /** A statement of messages is on its way; what is sent meanwhile waits for it. */
  #inFlight = false;
  #listener: PoolClient | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reading = false;
  #again = false;
  #closed = false;
  get #readText(): string {
    return `DELETE FROM ${this.table} WHERE id IN (SELECT id FROM ${this.table} WHERE recipient = ANY($1)
      ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED) RETURNING id, channel, body`;
  }

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly table: string,
    /** The recipients whose rows this mailbox reads (asked before each read). */
    private readonly recipients: () => readonly string[],
    /** The wake-up names it listens on. */
    private readonly wakes: readonly string[],
    private readonly deliver: (messages: readonly MailboxMessage[]) => void,
    private readonly options: MailboxOptions = {},
  ) {}

  /** Starts reading the inbox: on each notification, and every `pollMs`. */
  async open(): Promise<void> {
    if (this.#listener) return;
    await this.#listen();
    const poll = () => {
      if (this.#closed) return;
      this.#read();
      // A listener lost with its connection (a database restart) is set up again.
      if (!this.#listener && !this.#listening) void this.#listen().catch(() => undefined);
      this.#timer = setTimeout(poll, this.options.pollMs ?? 100);
      this.#timer.unref();
    };
    poll();
  }

  #listening = false;
  #dropListener: (() => void) | undefined;

  async #listen(): Promise<void> {
    this.#listening = true;
    try {
      const client = await this.pool.connect();
      let released = false;
      // A lost listener gives its pool slot back (destroyed), once, and is set up anew.
      const lost = () => {
        const wasListening = this.#listener === client;
        if (wasListening) this.#listener = undefined;
        if (released) return;
        released = true;
        client.release(true);
        if (wasListening) this.#broke('its listening connection broke');
      };
      client.on('notification', () => this.#read());
      client.on('error', lost);
      client.on('end', lost);
      try {
        for (const wake of this.wakes)
          await client.query(`LISTEN ${wakeChannel(this.schema, wake)}`);
      } catch (error) {
        lost();
        throw error;
      }
      if (this.#closed) lost();
      else {
        this.#listener = client;
        this.#dropListener = lost;
      }
    } finally {
      this.#listening = false;
    }
  }

  /**
   * Queues `body` for `recipient`, waking those listening on `wake`. The turn's messages go
   * in one statement after it, or, while one is on its way, with the next (group send).
   */
  send(recipient: string, channel: string, body: unknown, wake: string): void {
    if (this.#closed) return;
    if (this.#outbox.size === 0) setImmediate(() => this.#flush());
    let row = this.#outbox.get(recipient);
    if (!row) {
      row = { wake, parts: [] };
      this.#outbox.set(recipient, row);
    }
    row.parts.push(`[${JSON.stringify(channel)},${JSON.stringify(body)}]`);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    // What was sent goes first: the statement on its way, then the rest in one more.
    await this.#sending;
    this.#flush();
    await this.#sending;
    this.#dropListener?.();
    this.#listener = undefined;
  }

  #flush(): void {
    const batch = [...this.#outbox];
    if (batch.length === 0 || this.#inFlight) return;
    this.#outbox = new Map();
    this.#inFlight = true;
    this.#sending = (async () => {
      const wakes = [...new Set(batch.map(([, row]) => notifyName(this.schema, row.wake)))];
      try {
        // One statement, one round trip: the rows, and the wake-ups sent when they commit.
        // The rows travel as one JSON document (JSON.stringify encodes it natively), a row's
        // body in it as a string: the database refuses a lone surrogate's escape (\ud800) in
        // JSON it reads, and a message may carry one in its input or output.
        const text = `WITH sent AS (INSERT INTO ${this.table} (recipient, channel, body)
             SELECT r->>0, r->>1, r->>2 FROM jsonb_array_elements($1::jsonb) AS r)
           SELECT pg_notify(wake, '') FROM jsonb_array_elements_text($2::jsonb) AS wake`;
        const rows = batch.map(([recipient, row]) => [
          recipient,
          BATCH,
          `[${row.parts.join(',')}]`,
        ]);
        await this.pool.query({
          name: statementName(text),
          text,
          values: [JSON.stringify(rows), JSON.stringify(wakes)],
        });
      } catch (error) {
        // Unreachable, or broken mid-statement: what was sent is lost (or not) like bytes on
        // a broken socket, and the channels it went on are over.
        this.#broke(`sending failed: ${(error as Error).message}`);
      } finally {
        this.#inFlight = false;
        this.#flush();
      }
    })();
  }

  #broke(why: string): void {
    if (!this.#closed) this.options.broken?.(why);
  }

  #read(): void {
    if (this.#closed) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    const recipients = this.recipients();
    this.pool
      .query<{ id: string; channel: string; body: string }>({
        name: statementName(this.#readText),
        text: this.#readText,
        values: [recipients],
      })
      .then(
        ({ rows }) => {
          rows.sort((a, b) => Number(a.id) - Number(b.id));
          if (rows.length > 0 && !this.#closed) this.deliver(rows.flatMap(messagesOf));
          if (rows.length === 1000) this.#again = true;
        },
        // Its rows may have been taken (deleted) with the answer lost on the way.
        (error: unknown) => this.#broke(`reading failed: ${(error as Error).message}`),
      )
      .finally(() => {
        this.#reading = false;
        if (this.#again) {
          this.#again = false;
          this.#read();
        }
      });
  }
}

/** A row's messages: a batch's pairs, or the one message of a row written one by one. */
function messagesOf(row: { channel: string; body: string }): MailboxMessage[] {
  const body = JSON.parse(row.body) as unknown;
  if (row.channel !== BATCH) return [{ channel: row.channel, body }];
  return (body as [string, unknown][]).map(([channel, message]) => ({ channel, body: message }));
}
