// What the scheduler keeps per QoS class: its fair-share virtual time (machines/fair-share.ts),
// how many of its tasks are queued and how much estimated work they are (its backlog, for
// predicting waits: machines/finish-prediction.ts), and the order its queue serves in:
// earliest due first, or freshest first while its controller says it is overloaded.
import { charged, resumed, servedFirst } from '../../machines/fair-share.js';
import type { ClassBacklog } from '../../machines/finish-prediction.js';
import type { QosOptions } from '../../machines/qos-classes.js';
import { dueFirst, type ReadyEntry } from './task-order.js';

interface Share {
  time: number;
  queued: number;
  weight: number;
  workMs: number;
  freshestFirst: boolean;
}

/** Adaptive LIFO: the task that joined the queue last leaves first. */
export function freshestFirst(a: ReadyEntry, b: ReadyEntry): boolean {
  return a.enqueuedAt !== b.enqueuedAt ? a.enqueuedAt > b.enqueuedAt : a.seq > b.seq;
}

export class ClassShares {
  readonly #shares = new Map<string, Share>();
  /** The virtual time of the class served last: where a class with work again starts. */
  #systemTime = 0;

  constructor(
    private readonly qos: QosOptions,
    /** The class has nothing queued any more (dispatched, swept, cancelled). */
    private readonly emptied: ((qos: string) => void) | undefined,
  ) {
    for (const name of Object.keys(qos.classes)) this.#shareOf(name);
  }

  /** Queued work per class, live (the map and its entries change as tasks come and go). */
  get backlogs(): ReadonlyMap<string, ClassBacklog> {
    return this.#shares;
  }

  queuedIn(qos: string): number {
    return this.#shares.get(qos)?.queued ?? 0;
  }

  /** The order a class's queue serves in now. */
  orderOf(qos: string): (a: ReadyEntry, b: ReadyEntry) => boolean {
    return this.#shareOf(qos).freshestFirst ? freshestFirst : dueFirst;
  }

  /** Switches the class's order; true when it changed (its queues must be reordered). */
  setFreshestFirst(qos: string, on: boolean): boolean {
    const share = this.#shareOf(qos);
    if (share.freshestFirst === on) return false;
    share.freshestFirst = on;
    return true;
  }

  queued(entry: ReadyEntry, qos: string): void {
    const share = this.#shareOf(qos);
    if (share.queued++ === 0) share.time = resumed(share.time, this.#systemTime);
    share.workMs += entry.workMs ?? 0;
  }

  dequeued(entry: ReadyEntry, qos: string): void {
    const share = this.#shareOf(qos);
    share.queued--;
    share.workMs = share.queued === 0 ? 0 : Math.max(0, share.workMs - (entry.workMs ?? 0));
    if (share.queued === 0) this.emptied?.(qos);
  }

  /** One of the class's tasks took `cost` slots (machines/fair-share.ts `slotCost`). */
  charge(qos: string, cost: number): void {
    const share = this.#shareOf(qos);
    this.#systemTime = share.time;
    share.time = charged(share.time, share.weight, cost);
  }

  /** Whether class `a` takes a free slot before class `b` (undefined: a tie). */
  servedBefore(a: string, b: string): boolean | undefined {
    const mine = this.#shareOf(a).time;
    const theirs = this.#shareOf(b).time;
    return mine === theirs ? undefined : servedFirst(mine, theirs);
  }

  #shareOf(qos: string): Share {
    let share = this.#shares.get(qos);
    if (!share) {
      const weight = this.qos.classes[qos]?.weight ?? 1;
      share = { time: this.#systemTime, queued: 0, weight, workMs: 0, freshestFirst: false };
      this.#shares.set(qos, share);
    }
    return share;
  }
}
