// The numbered, acknowledged messages a cluster's channels carry through the database:
// what is lost comes again, what comes twice is delivered once, and in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChannelLedger } from '../../src/cluster/channel-ledger.js';

type Wire = [channel: string, body: unknown, seq: number, ack: number];

const BEAT = { holds: 'heartbeat', lossy: true } as const;
const progressOf = (task: string) => ({ holds: `progress:${task}` });

/** Two sides of channel "c": a supervisor's and a node's, on one fake clock. */
function pair(resendMs = 1_000) {
  let now = 0;
  const clock = () => now;
  const sup = new ChannelLedger(resendMs, clock);
  const node = new ChannelLedger(resendMs, clock);
  sup.open('c', 'node-c', 'nodes');
  node.open('c', 'sup', 'sup');
  return { sup, node, tick: (ms: number) => (now += ms) };
}

/** What a side sends now, as the messages on the wire. */
function sent(ledger: ChannelLedger, acks = false): Wire[] {
  return [...ledger.take(acks).values()].flatMap((row) =>
    row.parts.map((part) => JSON.parse(part) as Wire),
  );
}

/** The bodies a side delivers of what came in. */
function deliver(ledger: ChannelLedger, wire: readonly Wire[]): unknown[] {
  return wire.flatMap(([channel, body, seq, ack]) =>
    ledger.receive(channel, seq, ack) ? [body] : [],
  );
}

describe('a channel ledger', () => {
  it('numbers messages, carries acknowledgements back, and keeps only what is unacknowledged', () => {
    const { sup, node } = pair();
    sup.post('c', { type: 'run', n: 1 });
    sup.post('c', { type: 'run', n: 2 });
    const runs = sent(sup);
    expect(runs).toEqual([
      ['c', { type: 'run', n: 1 }, 1, 0],
      ['c', { type: 'run', n: 2 }, 2, 0],
    ]);
    expect([...sup.take(false).keys()]).toEqual([]); // sent once, not again unasked
    expect(deliver(node, runs)).toHaveLength(2);
    node.post('c', { type: 'result', n: 1 });
    const [result] = sent(node);
    expect(result).toEqual(['c', { type: 'result', n: 1 }, 1, 2]);
    expect(deliver(sup, [result as Wire])).toEqual([{ type: 'result', n: 1 }]);
    // Acknowledged: a rewind sends nothing of them again.
    sup.rewind();
    expect(sup.pending(false)).toBe(false);
  });

  it('delivers a repeat once, and nothing past a gap until the lost message comes again', () => {
    const { sup, node } = pair();
    for (const n of [1, 2, 3]) sup.post('c', n);
    const [one, two, three] = sent(sup) as [Wire, Wire, Wire];
    expect(deliver(node, [one, one, three])).toEqual([1]);
    expect(deliver(node, [two, three, two])).toEqual([2, 3]);
  });

  it('sends again what stays unacknowledged for resendMs, and only then', () => {
    const { sup, node, tick } = pair(1_000);
    for (const n of [1, 2]) sup.post('c', n);
    sent(sup); // lost on the way: the mailbox emptied by a crash restart
    tick(999);
    sup.resendStalled();
    expect(sup.pending(false)).toBe(false);
    tick(1);
    sup.resendStalled();
    const again = sent(sup);
    expect(again.map(([, body, seq]) => [body, seq])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(deliver(node, again)).toEqual([1, 2]);
  });

  it('keeps waiting while acknowledgements move, however long the backlog takes', () => {
    const { sup, node, tick } = pair(1_000);
    for (const n of [1, 2, 3]) sup.post('c', n);
    const wire = sent(sup);
    tick(900);
    deliver(node, wire.slice(0, 1));
    deliver(sup, sent(node, true)); // a lone acknowledgement of 1
    tick(900);
    sup.resendStalled();
    expect(sup.pending(false)).toBe(false);
    tick(100);
    sup.resendStalled();
    expect(sent(sup).map(([, , seq]) => seq)).toEqual([2, 3]);
  });

  it('after a failed send, sends every unacknowledged message again, in order, with new ones after', () => {
    const { sup, node } = pair();
    for (const n of [1, 2]) sup.post('c', n);
    expect(deliver(node, sent(sup))).toEqual([1, 2]);
    sup.post('c', 3);
    sent(sup); // it broke: landed or not
    sup.rewind();
    sup.post('c', 4);
    expect(sent(sup).map(([, body]) => body)).toEqual([1, 2, 3, 4]);
    // Acknowledged meanwhile, 1 and 2 are not sent again.
    node.post('c', 'ack me');
    deliver(sup, sent(node));
    sup.rewind();
    expect(sent(sup).map(([, body]) => body)).toEqual([3, 4]);
  });

  it('sends an acknowledgement alone at a poll when nothing went back, and delivers none', () => {
    const { sup, node } = pair();
    node.post('c', { type: 'heartbeat' });
    deliver(sup, sent(node));
    expect(sup.pending(false)).toBe(false);
    expect(sup.pending(true)).toBe(true);
    const ack = sent(sup, true);
    expect(ack).toEqual([['c', null, 0, 1]]);
    expect(deliver(node, ack)).toEqual([]);
    node.rewind();
    expect(node.pending(false)).toBe(false); // acknowledged: nothing to send again
    expect(sup.pending(true)).toBe(false);
  });

  it('sends what a closed channel has unacknowledged until it is acknowledged, then forgets it', () => {
    const { sup, node } = pair(1_000);
    sup.post('c', 'result');
    sent(sup); // on its way when the channel closes, and lost: the send broke
    sup.close('c');
    expect(sup.isOpen('c')).toBe(false);
    expect(() => sup.post('c', 'more')).toThrow(/not open/);
    expect(sup.closing()).toEqual(['c']);
    sup.rewind();
    expect(deliver(node, sent(sup))).toEqual(['result']);
    deliver(sup, sent(node, true)); // its acknowledgement
    expect(sup.closing()).toEqual([]);
    sup.rewind();
    expect(sup.pending(true)).toBe(false);
    // A channel not known here is its owner's to judge: delivered, but a lone acknowledgement not.
    expect(sup.receive('c', 7, 1)).toBe(true);
    expect(sup.receive('c', 0, 1)).toBe(false);
  });

  it('forgets a closed channel whose acknowledgement never comes, after two resend intervals', () => {
    const { sup, tick } = pair(1_000);
    sup.post('c', 'result');
    sup.close('c');
    expect(sent(sup).map(([, body]) => body)).toEqual(['result']);
    tick(1_000);
    sup.resendStalled();
    expect(sent(sup).map(([, body]) => body)).toEqual(['result']);
    tick(1_000);
    sup.resendStalled();
    expect(sup.closing()).toEqual([]);
    expect(sup.pending(true)).toBe(false);
  });

  it('forgets a closed channel with nothing unacknowledged at once', () => {
    const { sup, node } = pair();
    sup.post('c', 1);
    deliver(node, sent(sup));
    deliver(sup, sent(node, true));
    sup.close('c');
    expect(sup.closing()).toEqual([]);
  });

  it('keeps one unsent heartbeat, not one a beat, while the database is away', () => {
    const { sup: node, node: sup } = pair();
    node.post('c', { type: 'result', n: 1 });
    for (let beat = 1; beat <= 3_600; beat++) node.post('c', { type: 'heartbeat', beat }, BEAT);
    const wire = sent(node);
    expect(wire.map(([, body, seq]) => [body, seq])).toEqual([
      [{ type: 'result', n: 1 }, 1],
      [{ type: 'heartbeat', beat: 3_600 }, 2],
    ]);
    // One already sent stays as it went; the next beat is a message of its own.
    node.post('c', { type: 'heartbeat', beat: 3_601 }, BEAT);
    node.rewind();
    node.post('c', { type: 'heartbeat', beat: 3_602 }, BEAT);
    expect(deliver(sup, sent(node))).toEqual([
      { type: 'result', n: 1 },
      { type: 'heartbeat', beat: 3_600 },
      { type: 'heartbeat', beat: 3_602 },
    ]);
  });

  it("keeps one unsent progress per task among logs and heartbeats, anew after the task's result", () => {
    const { sup: node, node: sup } = pair();
    for (let i = 1; i <= 1_000; i++) {
      node.post('c', { progress: i, task: 'a' }, progressOf('a'));
      node.post('c', { progress: i, task: 'b' }, progressOf('b'));
      node.post('c', { type: 'heartbeat', beat: i }, BEAT);
      if (i % 500 === 0) node.post('c', { log: i });
    }
    node.post('c', { result: 'a' }, { ends: 'progress:a' });
    node.post('c', { progress: 1, task: 'a', attempt: 2 }, progressOf('a'));
    expect(node.backlog('c')).toBe(7);
    // Each takes the place (and the number) of the first of its slot: the newest arrives.
    expect(deliver(sup, sent(node))).toEqual([
      { progress: 1_000, task: 'a' },
      { progress: 1_000, task: 'b' },
      { type: 'heartbeat', beat: 1_000 },
      { log: 500 },
      { log: 1_000 },
      { result: 'a' },
      { progress: 1, task: 'a', attempt: 2 },
    ]);
  });

  it('replaces no progress that may have reached the database, and any the database surely did not take', () => {
    const { sup: node, node: sup } = pair();
    node.post('c', { progress: 1 }, progressOf('a'));
    const lost = sent(node);
    node.rewind(); // broken mid-statement: it may have landed, and been delivered
    node.post('c', { progress: 2 }, progressOf('a'));
    expect(node.backlog('c')).toBe(2);
    deliver(sup, lost);
    // The one that may have landed goes again as it was; the newer after it.
    expect(deliver(sup, sent(node))).toEqual([{ progress: 2 }]);
    node.post('c', { progress: 3 }, progressOf('a'));
    sent(node);
    node.rewind(false); // refused, or no connection: it reached nothing
    node.post('c', { progress: 4 }, progressOf('a'));
    expect(node.backlog('c')).toBe(3);
    expect(deliver(sup, sent(node))).toEqual([{ progress: 4 }]);
    // A heartbeat may take the place of one that may have been delivered: one of the two arrives.
    node.post('c', { beat: 1 }, BEAT);
    sent(node);
    node.rewind();
    node.post('c', { beat: 2 }, BEAT);
    expect(deliver(sup, sent(node))).toEqual([{ beat: 2 }]);
  });

  it('keeps what reached the database as reached when a later send of another channel is refused', () => {
    const node = new ChannelLedger(1_000, () => 0);
    const sup = new ChannelLedger(1_000, () => 0);
    for (const ledger of [node, sup]) for (const c of ['c', 'd']) ledger.open(c, 'r', 'w');
    node.post('d', { progress: 1 }, progressOf('a'));
    deliver(sup, sent(node)); // landed, not yet acknowledged
    node.post('c', 'other');
    sent(node);
    node.rewind(false); // that send (of c only) is refused
    node.post('d', { progress: 2 }, progressOf('a'));
    expect(deliver(sup, sent(node))).toEqual(['other', { progress: 2 }]);
  });

  it('counts what waits for acknowledgement, for its owner to bound', () => {
    const { sup, node } = pair();
    for (const n of [1, 2, 3]) sup.post('c', n);
    expect(sup.backlog('c')).toBe(3);
    deliver(node, sent(sup).slice(0, 2));
    deliver(sup, sent(node, true));
    expect(sup.backlog('c')).toBe(1);
    expect(sup.backlog('nobody')).toBe(0);
  });

  it('wakes the name the other side says it listens on, once that side said it', () => {
    const now = 0;
    const sup = new ChannelLedger(1_000, () => now);
    const node = new ChannelLedger(1_000, () => now);
    sup.open('c', 'node-c', 'nodes');
    node.open('c', 'sup', 'sup', 'node/a');
    const wire = (ledger: ChannelLedger) =>
      [...ledger.take(false).values()].map((row) => ({
        wake: row.wake,
        parts: row.parts.map((part) => JSON.parse(part) as unknown[]),
      }));
    const receive = (ledger: ChannelLedger, parts: unknown[][]) =>
      parts.map(([channel, , seq, ack, wake]) =>
        ledger.receive(channel as string, seq as number, ack as number, wake),
      );

    sup.post('c', 'run 1');
    const [first] = wire(sup);
    expect(first?.wake).toBe('nodes'); // not told yet: every node's name
    receive(node, first?.parts ?? []);
    // The node says its name on what it sends, until the supervisor acknowledged one of it.
    node.post('c', 'registered');
    node.post('c', 'result 1');
    const [said] = wire(node);
    expect(said?.parts).toEqual([
      ['c', 'registered', 1, 1, 'node/a'],
      ['c', 'result 1', 2, 1, 'node/a'],
    ]);
    receive(sup, said?.parts ?? []);
    sup.post('c', 'run 2');
    const [second] = wire(sup);
    expect(second).toEqual({ wake: 'node/a', parts: [['c', 'run 2', 2, 2]] });
    receive(node, second?.parts ?? []);
    node.post('c', 'result 2');
    expect(wire(node)[0]?.parts).toEqual([['c', 'result 2', 3, 2]]); // acknowledged: said
    // A side of an earlier release says nothing: its channel keeps the shared name.
    const old = new ChannelLedger(1_000, () => now);
    old.open('d', 'sup', 'sup');
    sup.open('d', 'node-d', 'nodes');
    old.post('d', 'registered');
    receive(sup, wire(old)[0]?.parts ?? []);
    sup.post('d', 'run 1');
    expect(wire(sup)[0]?.wake).toBe('nodes');
  });

  it('refuses a body without a JSON form, numbering nothing', () => {
    const { sup, node } = pair();
    expect(() => sup.post('c', 1n)).toThrow(TypeError);
    expect(() => sup.post('c', undefined)).toThrow(TypeError);
    sup.post('c', 'fine');
    expect(deliver(node, sent(sup))).toEqual(['fine']);
  });

  it('delivers every message exactly once and in order, whatever the database loses or repeats', () => {
    // Each step the sender posts, sends (the rows may be lost, repeated, or the send may
    // break), the receiver reads and sends back (its rows may be lost too), and time passes.
    const step = fc.record({
      post: fc.nat(3),
      loseOut: fc.boolean(),
      repeatOut: fc.boolean(),
      sendBroke: fc.boolean(),
      loseBack: fc.boolean(),
      ms: fc.integer({ min: 0, max: 700 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const { sup, node, tick } = pair(1_000);
        let posted = 0;
        const got: unknown[] = [];
        const exchange = (faults: (typeof steps)[number] | undefined) => {
          for (let i = 0; i < (faults?.post ?? 0); i++) sup.post('c', ++posted);
          sup.resendStalled();
          const out = sent(sup, true);
          if (faults?.sendBroke) sup.rewind();
          if (!faults?.loseOut)
            got.push(...deliver(node, faults?.repeatOut ? [...out, ...out] : out));
          const back = sent(node, true);
          if (!faults?.loseBack) deliver(sup, back);
          tick(faults?.ms ?? 500);
        };
        for (const faults of steps) exchange(faults);
        // Then the database behaves: everything arrives within a few resend intervals.
        for (let i = 0; i < 8; i++) exchange(undefined);
        expect(got).toEqual(Array.from({ length: posted }, (_, i) => i + 1));
        expect(sup.pending(false)).toBe(false);
      }),
    );
  });

  it("delivers a slot's newest value last, and every other message once and in order, whatever is lost", () => {
    // As above, with some messages holding one of two slots (a task's progress) and some
    // sends the database surely refused (nothing of them landed).
    const step = fc.record({
      posts: fc.array(fc.constantFrom('plain', 'a', 'b', 'end-a'), { maxLength: 4 }),
      loseOut: fc.boolean(),
      repeatOut: fc.boolean(),
      failure: fc.constantFrom('none', 'broke', 'refused'),
      loseBack: fc.boolean(),
      ms: fc.integer({ min: 0, max: 700 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const { sup, node, tick } = pair(1_000);
        let n = 0;
        /** Messages that hold no slot (plain ones, and those ending a's), in posting order. */
        const plain: number[] = [];
        const newest = new Map<string, number>();
        const got: { slot?: string; n: number }[] = [];
        const exchange = (faults: (typeof steps)[number] | undefined) => {
          for (const post of faults?.posts ?? []) {
            n++;
            if (post === 'plain' || post === 'end-a') plain.push(n);
            if (post === 'end-a') sup.post('c', { n }, { ends: 'progress:a' });
            else if (post === 'plain') sup.post('c', { n });
            else {
              newest.set(post, n);
              sup.post('c', { slot: post, n }, progressOf(post));
            }
          }
          sup.resendStalled();
          const out = sent(sup, true);
          if (faults?.failure === 'refused') {
            sup.rewind(false);
          } else {
            if (faults?.failure === 'broke') sup.rewind();
            if (!faults?.loseOut)
              got.push(...(deliver(node, faults?.repeatOut ? [...out, ...out] : out) as never[]));
          }
          const back = sent(node, true);
          if (!faults?.loseBack) deliver(sup, back);
          tick(faults?.ms ?? 500);
        };
        for (const faults of steps) exchange(faults);
        for (let i = 0; i < 8; i++) exchange(undefined);
        expect(got.filter((m) => m.slot === undefined).map((m) => m.n)).toEqual(plain);
        for (const [slot, last] of newest) {
          const values = got.filter((m) => m.slot === slot).map((m) => m.n);
          expect(values.at(-1)).toBe(last);
          expect(values).toEqual([...values].sort((x, y) => x - y));
          expect(new Set(values).size).toBe(values.length);
        }
        expect(sup.pending(false)).toBe(false);
      }),
    );
  });
});
