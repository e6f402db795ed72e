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
// A message may hold a slot (a heartbeat, a task's progress): a newer message for the slot
// takes the place (and the number) of the slot's message while that one waits unsent, so a
// channel cut off from the database for hours keeps one heartbeat and one progress per
// task, not one a second. Only one that never reached the database is replaced: one that may
// have been delivered stays as it went, and the newer goes after it, so the newest value is
// what arrives last. A lossy slot (a heartbeat) replaces one that may have been delivered
// too: the receiver then takes one of the two.
//
// On the wire a message is the JSON array [channel, body, seq, ack]: `ack` the highest
// number received in order on the channel, seq 0 with body null an acknowledgement alone.
// A pair [channel, body] (no numbers) is delivered as it comes. A side that listens on a
// wake-up name of its own says so in a fifth element, [channel, body, seq, ack, wake], on
// what it sends until the other side acknowledged one: from then on the other side wakes
// that name, not the one it opened the channel with (a node so hears only of its own
// channels' messages, not of every node's). A receiver of an earlier release ignores it.

interface Unacked {
  readonly seq: number;
  body: string;
}

/** What a message does to its channel's slots (see the top of this file). */
export interface MessageSlot {
  /** The slot it holds: it takes the place of the slot's message waiting unsent. */
  readonly holds?: string;
  /** Whether it may take the place of one that may have been delivered (a heartbeat). */
  readonly lossy?: boolean;
  /** A slot it ends (a task's result ends its progress): the slot's next message is new. */
  readonly ends?: string;
}

/** Slots a channel remembers before it forgets those whose message went out. */
const SLOTS_SWEPT_PAST = 1_024;

interface ChannelState {
  /** The channel's name as JSON, encoded once. */
  readonly name: string;
  /** Where this side's messages go, and whom the wake-up wakes. */
  readonly recipient: string;
  wake: string;
  /** The wake-up name this side listens on, as JSON, said until acknowledged (see above). */
  readonly replyWake: string | undefined;
  announced: boolean;
  /** The number of the next message sent. */
  next: number;
  /** The highest number that may have reached the database, and that before the last send. */
  reached: number;
  reachedBefore: number;
  /** Each slot's latest message (see MessageSlot). */
  readonly slots: Map<string, Unacked>;
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

  /**
   * A channel whose messages to `recipient` (waking `wake`) are numbered from here on;
   * `replyWake`: the name this side listens on, told to the other side (see above).
   */
  open(channel: string, recipient: string, wake: string, replyWake?: string): void {
    if (this.#channels.has(channel)) return;
    this.#channels.set(channel, {
      name: JSON.stringify(channel),
      recipient,
      wake,
      replyWake: replyWake === undefined ? undefined : JSON.stringify(replyWake),
      announced: false,
      next: 1,
      reached: 0,
      reachedBefore: 0,
      slots: new Map(),
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
   * Numbers `body` on `channel` and keeps it until acknowledged; with a slot it holds, takes
   * the place of the slot's message waiting unsent (see MessageSlot). Throws (changing
   * nothing) when the body has no JSON form, or the channel is not open.
   */
  post(channel: string, body: unknown, slot: MessageSlot = {}): void {
    const state = this.#channels.get(channel);
    if (!state || state.closedAt !== undefined) throw new Error(`channel ${channel} is not open`);
    const json = JSON.stringify(body);
    if (json === undefined) throw new TypeError('a message must have a JSON form');
    const { holds, lossy = false, ends } = slot;
    if (ends !== undefined) state.slots.delete(ends);
    const held = holds === undefined ? undefined : state.slots.get(holds);
    if (held && replaceable(state, held, lossy)) {
      held.body = json; // its number kept
      return;
    }
    const message: Unacked = { seq: state.next++, body: json };
    state.unacked.push(message);
    if (holds === undefined) return;
    state.slots.set(holds, message);
    if (state.slots.size > SLOTS_SWEPT_PAST)
      for (const [name, m] of state.slots)
        if (!replaceable(state, m, true)) state.slots.delete(name);
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
      state.reachedBefore = state.reached;
      if (!due(state, acks)) continue;
      const unsent = state.sent < state.unacked.length;
      let row = out.get(state.recipient);
      if (!row) {
        row = { wake: state.wake, parts: [] };
        out.set(state.recipient, row);
      }
      const ack = state.received;
      state.acked = ack;
      const tail = state.replyWake && !state.announced ? `,${ack},${state.replyWake}]` : `,${ack}]`;
      if (!unsent) row.parts.push(`[${state.name},null,0${tail}`);
      for (let i = state.sent; i < state.unacked.length; i++) {
        const m = state.unacked[i] as Unacked;
        row.parts.push(`[${state.name},${m.body},${m.seq}${tail}`);
      }
      state.sent = state.unacked.length;
      state.reached = state.next - 1;
      state.stalledSince ??= now;
    }
    return out;
  }

  /**
   * The last send failed: everything unacknowledged goes again. `mayHaveLanded`: false when
   * the database certainly took none of it (no connection; it refused the statement), so
   * what it carried may still be replaced in its slots.
   */
  rewind(mayHaveLanded = true): void {
    for (const state of this.#channels.values()) {
      state.sent = 0;
      if (!mayHaveLanded) state.reached = state.reachedBefore;
    }
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
   * acknowledgement and the other side's wake-up name, and says whether to deliver its body:
   * not a repeat, not past a gap, not an acknowledgement alone. A channel not open here is
   * the owner's to judge: delivered.
   */
  receive(
    channel: string,
    seq: number | undefined,
    ack: number | undefined,
    wake?: unknown,
  ): boolean {
    const state = this.#channels.get(channel);
    if (!state) return seq !== 0;
    if (typeof wake === 'string' && wake !== '') state.wake = wake;
    if (ack !== undefined && ack > 0) {
      state.announced = true; // what it acknowledged said our wake-up name
      this.#acknowledged(channel, state, ack);
    }
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

/**
 * Whether `message` may take a newer body: it is still to go out in the channel's next send,
 * and (unless `lossy`) it never reached the database.
 */
function replaceable(state: ChannelState, message: Unacked, lossy: boolean): boolean {
  const first = state.unacked[state.sent];
  return first !== undefined && message.seq >= first.seq && (lossy || message.seq > state.reached);
}

/** A channel has something to send: a message not sent yet, or (with `acks`) an acknowledgement. */
function due(state: ChannelState, acks: boolean): boolean {
  return state.sent < state.unacked.length || (acks && state.received > state.acked);
}
