// The `delay` overload policy: a submission its QoS class cannot take yet waits, with
// nothing of it stored, and tries again whenever room may have appeared (a task ended, a
// class changed mode), until the class's `maxDelayMs` has passed on the system clock;
// then it is refused with `Overloaded` as under `reject`. Listens to the event stream only
// while someone waits, so a system that never delays pays nothing for it.
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { Overloaded } from '../errors/index.js';
import { RoomAwaited } from '../errors/room-awaited.js';

const ROOM_EVENTS = ['task.completed', 'task.failed', 'task.cancelled', 'qos.mode'] as const;

export class ClassRoom {
  readonly #waiters = new Set<() => void>();
  #unsubscribe: (() => void)[] = [];

  constructor(
    private readonly clock: SystemClock,
    private readonly events: EventStream,
    /** A delayed submission gave up: it is refused now (for `qos.rejected`). */
    private readonly rejected: (refusal: Overloaded, requested: string, tasks: number) => void,
  ) {}

  /**
   * `accept()`'s result, once the classes take the submission: at once when they do (no
   * promise, no turn of the event loop lost), else a promise that waits under `delay`.
   */
  admit<T>(accept: () => T): T | Promise<T> {
    try {
      return accept();
    } catch (error) {
      if (!(error instanceof RoomAwaited)) throw error;
      return this.#retry(accept, error, this.clock.now());
    }
  }

  async #retry<T>(accept: () => T, awaited: RoomAwaited, since: number): Promise<T> {
    for (let error = awaited; ; ) {
      const left = since + error.maxDelayMs - this.clock.now();
      if (left <= 0) {
        this.rejected(error.refusal, error.requested, error.tasks);
        throw error.refusal;
      }
      await this.#roomOrTimeout(left);
      try {
        return accept();
      } catch (next) {
        if (!(next instanceof RoomAwaited)) throw next;
        error = next;
      }
    }
  }

  #roomOrTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.clock.clearTimeout(timer);
        this.#waiters.delete(wake);
        if (this.#waiters.size === 0) this.#quiet();
        resolve();
      };
      const timer = this.clock.setTimeout(wake, ms);
      if (this.#waiters.size === 0) this.#listen();
      this.#waiters.add(wake);
    });
  }

  #listen(): void {
    const wakeAll = () => {
      for (const wake of [...this.#waiters]) wake();
    };
    this.#unsubscribe = ROOM_EVENTS.map((type) => this.events.on(type, wakeAll));
  }

  #quiet(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }
}
