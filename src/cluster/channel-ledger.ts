// Numbered, acknowledged messages on a mailbox's channels, so that a channel outlives the
// loss of a message instead of ending with it. Rows in the database can be lost: a send or
// a read whose connection broke may or may not have taken effect, and a crash restart
// empties the UNLOGGED mailbox. So each side numbers what it sends on a channel (1, 2, 3 …),
// keeps it until the other side acknowledges it, and sends it again when the
// acknowledgements stall (or its own send failed); the receiving side delivers each number
// once and in order, dropping repeats, and a message past a gap (it waits for the lost one,
// which comes again). An acknowledgement rides on every message sent back on the channel,
// and goes alone at a poll when nothing was sent back.
//
// On the wire a message is the JSON array [channel, body, seq, ack]: `ack` the highest
// number received in order on the channel, seq 0 with body null an acknowledgement alone.
// A pair [channel, body] (no numbers) is delivered as it comes.

interface Unacked {
  readonly seq: number;
  readonly body: string;
  /** A message a newer one of its kind makes redundant (a heartbeat). */
  readonly superseded: boolean;
}

interface ChannelState {
  /** The channel's name as JSON, encoded once. */
  readonly name: string;
  /** Where this side's messages go, and whom the wake-up wakes. */
  readonly recipient: string;
  readonly wake: string;
  /** The number of the next message sent. */
  next: number;
  /** Sent or to be sent, not yet acknowledged, in order. */
  readonly unacked: Unacked[];
  /** How many of `unacked`, from its start, went out in a send since the last rewind. */
  sent: number;
  /** Since when messages went out without the acknowledgements moving (undefined: none). */
  stalledSince: number | undefined;
  /** The highest number received in order, and the highest acknowledged to the other side. */
  received: number;
  acked: number;
  /**
   * Closed (takes no more messages) at this time, while what it sent is unacknowledged: it
   * is sent again as on an open channel until acknowledged, for at most two resend
   * intervals, then forgotten. Undefined while open.
   */
  closedAt: number | undefined;
}

/** A turn's messages for one recipient, each already JSON. */
export interface Outgoing {
  readonly wake: string;
  readonly parts: string[];
}

export class ChannelLedger {
  readonly #channels = new Map<string, ChannelState>();

  constructor(
    /** How long acknowledgements may stall before what they would cover is sent again. */
    private readonly resendMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A channel whose messages to `recipient` (waking `wake`) are numbered from here on. */
  open(channel: string, recipient: string, wake: string): void {
    if (this.#channels.has(channel)) return;
    this.#channels.set(channel, {
      name: JSON.stringify(channel),
      recipient,
      wake,
      next: 1,
      unacked: [],
      sent: 0,
      stalledSince: undefined,
      received: 0,
      acked: 0,
      closedAt: undefined,
    });
  }

  /**
   * The channel ends: it takes no more messages, and is forgotten once what it sent is
   * acknowledged (at once if it is), or two resend intervals on.
   */
  close(channel: string): void {
    const state = this.#channels.get(channel);
    if (!state || state.closedAt !== undefined) return;
    state.closedAt = this.now();
    if (state.unacked.length === 0) this.#channels.delete(channel);
  }

  isOpen(channel: string): boolean {
    const state = this.#channels.get(channel);
    return state !== undefined && state.closedAt === undefined;
  }

  /** How many messages of `channel` wait for acknowledgement (0 for one not known). */
  backlog(channel: string): number {
    return this.#channels.get(channel)?.unacked.length ?? 0;
  }

  /** Closed channels still waiting for acknowledgements: their rows are still to be read. */
  closing(): string[] {
    const names: string[] = [];
    for (const [channel, state] of this.#channels)
      if (state.closedAt !== undefined) names.push(channel);
    return names;
  }

  /**
   * Numbers `body` on `channel` and keeps it until acknowledged. `superseded`: a newer such
   * message makes it redundant (a heartbeat), so one waiting unsent as the channel's last
   * gives its place to the newer: a channel cut off for hours keeps one heartbeat, not one a
   * second. Throws (changing nothing) when the body has no JSON form, or the channel is not
   * open.
   */
  post(channel: string, body: unknown, superseded = false): void {
    const state = this.#channels.get(channel);
    if (!state || state.closedAt !== undefined) throw new Error(`channel ${channel} is not open`);
    const json = JSON.stringify(body);
    if (json === undefined) throw new TypeError('a message must have a JSON form');
    const last = state.unacked.at(-1);
    if (superseded && last?.superseded && state.sent < state.unacked.length) {
      // Its number is kept: delivered or not, the receiver takes one of the two.
      state.unacked[state.unacked.length - 1] = { seq: last.seq, body: json, superseded };
      return;
    }
    state.unacked.push({ seq: state.next++, body: json, superseded });
  }

  /** Whether a send is due: a message not sent yet, or (with `acks`) an acknowledgement. */
  pending(acks: boolean): boolean {
    for (const state of this.#channels.values()) if (due(state, acks)) return true;
    return false;
  }

  /**
   * What to send now, by recipient: each channel's messages not sent since the last rewind,
   * each carrying the channel's acknowledgement; with `acks`, an acknowledgement alone for a
   * channel that received messages and sends none back.
   */
  take(acks: boolean): Map<string, Outgoing> {
    const out = new Map<string, Outgoing>();
    const now = this.now();
    for (const state of this.#channels.values()) {
      if (!due(state, acks)) continue;
      const unsent = state.sent < state.unacked.length;
      let row = out.get(state.recipient);
      if (!row) {
        row = { wake: state.wake, parts: [] };
        out.set(state.recipient, row);
      }
      const ack = state.received;
      state.acked = ack;
      if (!unsent) row.parts.push(`[${state.name},null,0,${ack}]`);
      for (let i = state.sent; i < state.unacked.length; i++) {
        const m = state.unacked[i] as Unacked;
        row.parts.push(`[${state.name},${m.body},${m.seq},${ack}]`);
      }
      state.sent = state.unacked.length;
      state.stalledSince ??= now;
    }
    return out;
  }

  /** A send failed (it may or may not have landed): everything unacknowledged goes again. */
  rewind(): void {
    for (const state of this.#channels.values()) state.sent = 0;
  }

  /**
   * At a poll: the channels whose acknowledgements stalled for `resendMs` send everything
   * unacknowledged again (a message or its acknowledgement was lost); closed channels past
   * their two intervals are forgotten.
   */
  resendStalled(): void {
    const now = this.now();
    for (const [channel, state] of this.#channels)
      if (state.closedAt !== undefined && now - state.closedAt >= 2 * this.resendMs)
        this.#channels.delete(channel);
      else if (
        state.unacked.length > 0 &&
        state.stalledSince !== undefined &&
        now - state.stalledSince >= this.resendMs
      ) {
        state.sent = 0;
        state.stalledSince = undefined;
      }
  }

  /**
   * A message came in on `channel` (seq and ack undefined: one sent unnumbered). Takes its
   * acknowledgement, and says whether to deliver its body: not a repeat, not past a gap, not
   * an acknowledgement alone. A channel not open here is the owner's to judge: delivered.
   */
  receive(channel: string, seq: number | undefined, ack: number | undefined): boolean {
    const state = this.#channels.get(channel);
    if (!state) return seq !== 0;
    if (ack !== undefined && ack > 0) this.#acknowledged(channel, state, ack);
    if (state.closedAt !== undefined) return seq !== 0;
    if (seq === undefined) return true;
    if (seq !== state.received + 1) return false;
    state.received = seq;
    return true;
  }

  #acknowledged(channel: string, state: ChannelState, ack: number): void {
    let drop = 0;
    while (drop < state.unacked.length && (state.unacked[drop] as Unacked).seq <= ack) drop++;
    if (drop === 0) return;
    state.unacked.splice(0, drop);
    if (state.closedAt !== undefined && state.unacked.length === 0) {
      this.#channels.delete(channel);
      return;
    }
    state.sent = Math.max(0, state.sent - drop);
    state.stalledSince = state.unacked.length > 0 && state.sent > 0 ? this.now() : undefined;
  }
}

/** A channel has something to send: a message not sent yet, or (with `acks`) an acknowledgement. */
function due(state: ChannelState, acks: boolean): boolean {
  return state.sent < state.unacked.length || (acks && state.received > state.acked);
}
