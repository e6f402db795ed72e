// Rows as mailboxes: how the processes of a cluster talk through PostgreSQL. A message is a
// row addressed to a recipient (a supervisor or a node) on a channel (one incarnation of a
// remote agent); the recipient takes its rows in order and deletes them in the same
// statement. Sending commits a turn's messages in one INSERT; a NOTIFY on the recipient's
// name wakes it, and it polls anyway, so a lost notification only costs a poll interval.
// A row can be lost: the table is UNLOGGED (a crash of the server empties it), and a send or
// a read whose connection broke may or may not have taken effect. So a channel's messages
// are numbered and acknowledged (channel-ledger.ts): what is lost is sent again, what comes
// twice is delivered once, and a channel outlives a database restart or outage; only its
// agent's heartbeat timeout ends it, when the outage outlasts it.
import type { Pool, PoolClient } from 'pg';
import { notifyName, wakeChannel } from '../store/postgres/notify-names.js';
import { statementName } from '../store/postgres/sql-op.js';
import { ChannelLedger, type MessageSlot } from './channel-ledger.js';
import { sendOn } from './send-on.js';

export interface MailboxMessage {
  readonly channel: string;
  readonly body: unknown;
}

export interface MailboxOptions {
  /** How often the inbox is read when no notification came, in ms. Default 100. */
  readonly pollMs?: number;
  /** Wake-ups of other news than messages (a node's of placements): `heard`, no inbox read. */
  readonly signals?: readonly { readonly name: string; readonly heard: () => void }[];
}

/** How long a channel's acknowledgements may stall before what they would cover goes again. */
const resendMsFor = (pollMs: number) => Math.max(2_000, 20 * pollMs);

/**
 * The channel column of a row that carries a turn's messages for one recipient, its body a
 * JSON array of numbered messages [channel, body, seq, ack]: one row per recipient per turn,
 * however many messages (a turn's runs for an agent, or a node's results for its
 * supervisor). Rows of an earlier version say '*' and carry [channel, message] pairs; a
 * process of that version reads this marker as a channel it does not know, and skips it.
 */
const NUMBERED = '#';
const PAIRS = '*';

export class Mailbox {
  /** Each open channel's numbered messages, kept until acknowledged. */
  readonly #ledger: ChannelLedger;
  /** A send is on its way for the next turn (set when a message is posted). */
  #flushSoon = false;
  /** Since when sends have failed or the one on its way has not answered (this clock). */
  #failingSince: number | undefined;
  #inFlightSince = 0;
  #sending: Promise<void> = Promise.resolve();
  /** A statement of messages is on its way; what is sent meanwhile waits for it. */
  #inFlight = false;
  #listener: PoolClient | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reading = false;
  /** Reads of the inbox so far (each one statement), for tests and metrics. */
  reads = 0;
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
  ) {
    const pollMs = options.pollMs ?? 100;
    this.#ledger = new ChannelLedger(resendMsFor(pollMs));
  }

  /** Starts reading the inbox: on each notification, and every `pollMs`. */
  async open(): Promise<void> {
    if (this.#listener) return;
    await this.#listen();
    const poll = () => {
      if (this.#closed) return;
      this.#read();
      // Acknowledgements no message carried back, and what stalled or failed, go now.
      this.#ledger.resendStalled();
      if (this.#ledger.pending(true)) this.#flush(true);
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
        // The server may have restarted and emptied the mailbox: what is unacknowledged
        // goes again (a repeat is delivered once).
        if (wasListening) this.#ledger.rewind();
      };
      const signals = new Map(
        (this.options.signals ?? []).map((s) => [notifyName(this.schema, s.name), s.heard]),
      );
      client.on('notification', ({ channel }) => {
        const heard = signals.get(channel);
        if (heard) heard();
        else this.#read();
      });
      client.on('error', lost);
      client.on('end', lost);
      try {
        for (const wake of [...this.wakes, ...(this.options.signals ?? []).map((s) => s.name)])
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
   * How long this mailbox's sends have not got through, in ms: since the first of those that
   * failed in a row, or since the one on its way went; 0 while they land.
   */
  silentFor(): number {
    const since = this.#inFlight
      ? Math.min(this.#inFlightSince, this.#failingSince ?? Number.POSITIVE_INFINITY)
      : this.#failingSince;
    return since === undefined ? 0 : Date.now() - since;
  }

  /**
   * Numbers `channel`'s messages to `recipient` (waking those listening on `wake`, or on the
   * name the other side says it listens on); `replyWake`: the name to say this side listens on.
   */
  openChannel(channel: string, recipient: string, wake: string, replyWake?: string): void {
    this.#ledger.open(channel, recipient, wake, replyWake);
  }

  /**
   * The channel ends: it takes no more messages; what it sent goes again until acknowledged
   * (for two resend intervals at most), so a last result is not lost with a failed send.
   */
  closeChannel(channel: string): void {
    this.#ledger.close(channel);
  }

  /** How many messages of `channel` wait for acknowledgement. */
  backlog(channel: string): number {
    return this.#ledger.backlog(channel);
  }

  /** Closed channels still waiting for acknowledgements (a node reads their rows for them). */
  closingChannels(): string[] {
    return this.#ledger.closing();
  }

  /**
   * Queues `body` on an open channel: the turn's messages go in one statement after it, or,
   * while one is on its way, with the next (group send). `slot`: the slot it holds (a
   * heartbeat, a task's progress), whose message waiting unsent it replaces, so such
   * messages do not pile up while the database is away, or a slot it ends
   * (channel-ledger.ts). Throws, queuing nothing, when the body has no JSON form; does
   * nothing once the mailbox or the channel closed.
   */
  send(channel: string, body: unknown, slot?: MessageSlot): void {
    if (this.#closed || !this.#ledger.isOpen(channel)) return;
    this.#ledger.post(channel, body, slot);
    if (this.#flushSoon) return;
    this.#flushSoon = true;
    setImmediate(() => {
      this.#flushSoon = false;
      this.#flush(false);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    // What was sent goes first: the statement on its way, then the rest in one more.
    await this.#sending;
    this.#flush(true);
    await this.#sending;
    this.#dropListener?.();
    this.#listener = undefined;
  }

  /** Sends what the channels have unsent (with `acks`, lone acknowledgements too). */
  #flush(acks: boolean): void {
    if (this.#inFlight || !this.#ledger.pending(acks)) return;
    const batch = [...this.#ledger.take(acks)];
    this.#inFlight = true;
    this.#inFlightSince = Date.now();
    this.#sending = (async () => {
      const wakes = [...new Set(batch.map(([, row]) => notifyName(this.schema, row.wake)))];
      // One statement, one round trip: the rows, and the wake-ups sent when they commit.
      // The rows travel as one JSON document (JSON.stringify encodes it natively), a row's
      // body in it as a string: the database refuses a lone surrogate's escape (\ud800) in
      // JSON it reads, and a message may carry one in its input or output.
      const text = `WITH sent AS (INSERT INTO ${this.table} (recipient, channel, body)
             SELECT r->>0, r->>1, r->>2 FROM jsonb_array_elements($1::jsonb) AS r)
           SELECT pg_notify(wake, '') FROM jsonb_array_elements_text($2::jsonb) AS wake`;
      const rows = batch.map(([recipient, row]) => [
        recipient,
        NUMBERED,
        `[${row.parts.join(',')}]`,
      ]);
      const values = [JSON.stringify(rows), JSON.stringify(wakes)];
      const sent = await sendOn(this.pool, { name: statementName(text), text, values });
      if (sent !== 'done') {
        // Everything unacknowledged goes again at the next poll (not at once: the database
        // may be away); a repeat is delivered once. Unless the database surely took none of
        // it, it may have landed (a connection broken mid-statement).
        this.#ledger.rewind(sent === 'may-have-landed');
        this.#inFlight = false;
        this.#failingSince ??= this.#inFlightSince;
        return;
      }
      this.#inFlight = false;
      this.#failingSince = undefined;
      this.#flush(false);
    })();
  }

  /** The rows' messages to deliver: each numbered one once and in order, acknowledgements taken. */
  #admitted(rows: readonly { channel: string; body: string }[]): MailboxMessage[] {
    const messages: MailboxMessage[] = [];
    for (const row of rows)
      for (const [channel, body, seq, ack, wake] of wireMessagesOf(row))
        if (this.#ledger.receive(channel, seq, ack, wake)) messages.push({ channel, body });
    return messages;
  }

  #read(): void {
    if (this.#closed) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    this.reads++;
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
          if (rows.length > 0 && !this.#closed) this.deliver(this.#admitted(rows));
          if (rows.length === 1000) this.#again = true;
        },
        // Its rows may have been taken (deleted) with the answer lost on the way: their
        // senders hear no acknowledgement and send them again.
        () => undefined,
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

/** A message as a row carries it: [channel, body] or, numbered, [channel, body, seq, ack, wake?]. */
type WireMessage = [channel: string, body: unknown, seq?: number, ack?: number, wake?: unknown];

/** A row's messages: a batch's, or the one message of a row written one by one. */
function wireMessagesOf(row: { channel: string; body: string }): WireMessage[] {
  const body = JSON.parse(row.body) as unknown;
  if (row.channel !== NUMBERED && row.channel !== PAIRS) return [[row.channel, body]];
  return body as WireMessage[];
}
