// The `delay` overload policy: a submission its QoS class cannot take yet waits, with
// nothing of it stored, and tries again whenever room may have appeared (a task ended, a
// class changed mode), until the class's `maxDelayMs` has passed on the system clock;
// then it is refused with `Overloaded` as under `reject`. Listens to the event stream only
// while someone waits, so a system that never delays pays nothing for it.
//
// A waiting task can be cancelled by its id (`withdraw`): the cancellation waits with the
// submission and is applied as it enters, before it can start. A submission whose every
// task is cancelled needs no room (nothing of it will run): it enters at once, cancelled.
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { Overloaded } from '../errors/index.js';
import { RoomAwaited } from '../errors/room-awaited.js';

const ROOM_EVENTS = ['task.completed', 'task.failed', 'task.cancelled', 'qos.mode'] as const;

/** How a submission enters: `waived` skips the classes' admission; `cancels` by task id. */
export interface Entry {
  readonly waived: boolean;
  readonly cancels: ReadonlyMap<string, string>;
}

/** Admits the submission (throwing `RoomAwaited` while its classes cannot take it). */
export type Accept<T> = (entry: Entry) => T;

const AS_SUBMITTED: Entry = { waived: false, cancels: new Map() };

interface Waiting {
  /** Each spec's own id (undefined for one the system names). */
  readonly ids: readonly (string | undefined)[];
  readonly cancels: Map<string, string>;
  /** Wakes the waiting submission to try again. */
  wake?: (() => void) | undefined;
  /** Set once it entered (or failed to) on a withdrawal, before it is woken. */
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
  accept: Accept<unknown>;
}

export class ClassRoom {
  readonly #waiters = new Set<() => void>();
  /** Waiting submissions by the ids of their tasks. */
  readonly #waiting = new Map<string, Waiting>();
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
   * `ids`: each spec's own id, by which a waiting task can be withdrawn (asked only when it
   * waits, so a submission taken at once pays nothing for it).
   */
  admit<T>(accept: Accept<T>, ids: () => readonly (string | undefined)[]): T | Promise<T> {
    try {
      return accept(AS_SUBMITTED);
    } catch (error) {
      if (!(error instanceof RoomAwaited)) throw error;
      return this.#retry({ ids: ids(), cancels: new Map(), accept }, error, this.clock.now());
    }
  }

  /**
   * Cancels a task whose submission waits for room: false when none does. Once every task
   * of its submission is cancelled, the submission enters now, its tasks cancelled.
   */
  withdraw(taskId: string, reason: string): boolean {
    const waiting = this.#waiting.get(taskId);
    if (waiting === undefined) return false;
    if (!waiting.cancels.has(taskId)) waiting.cancels.set(taskId, reason);
    if (waiting.ids.every((id) => id !== undefined && waiting.cancels.has(id))) {
      this.#forget(waiting);
      try {
        waiting.outcome = {
          ok: true,
          value: waiting.accept({ waived: true, cancels: waiting.cancels }),
        };
      } catch (error) {
        waiting.outcome = { ok: false, error };
      }
      waiting.wake?.();
    }
    return true;
  }

  async #retry<T>(waiting: Waiting, awaited: RoomAwaited, since: number): Promise<T> {
    for (const id of waiting.ids) if (id !== undefined) this.#waiting.set(id, waiting);
    try {
      for (let error = awaited; ; ) {
        const left = since + error.maxDelayMs - this.clock.now();
        if (left <= 0) {
          this.rejected(error.refusal, error.requested, error.tasks);
          throw error.refusal;
        }
        await this.#roomOrTimeout(left, waiting);
        const { outcome } = waiting;
        if (outcome?.ok) return outcome.value as T;
        if (outcome) throw outcome.error;
        try {
          return waiting.accept({ waived: false, cancels: waiting.cancels }) as T;
        } catch (next) {
          if (!(next instanceof RoomAwaited)) throw next;
          error = next;
        }
      }
    } finally {
      this.#forget(waiting);
    }
  }

  #forget(waiting: Waiting): void {
    for (const id of waiting.ids)
      if (id !== undefined && this.#waiting.get(id) === waiting) this.#waiting.delete(id);
  }

  #roomOrTimeout(ms: number, waiting: Waiting): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.clock.clearTimeout(timer);
        this.#waiters.delete(wake);
        if (this.#waiters.size === 0) this.#quiet();
        waiting.wake = undefined;
        resolve();
      };
      const timer = this.clock.setTimeout(wake, ms);
      if (this.#waiters.size === 0) this.#listen();
      this.#waiters.add(wake);
      waiting.wake = wake;
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
