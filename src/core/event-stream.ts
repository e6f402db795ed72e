// Subscriptions to a system's events: callbacks by type, and async iterators that buffer
// every event published after they were created (nothing is dropped; a slow consumer
// grows its own buffer, which is why iterators end when the system stops). A listener that
// throws does not stop the others, nor the runtime that published (listener-faults.ts).
import { EventsOverflowed } from '../errors/events-overflowed.js';
import { type ListenerFaultReport, listenerFaults } from './listener-faults.js';
import type { OverseerEvent, OverseerEventOf, OverseerEventType } from './system-events.js';

type Listener = (event: OverseerEvent) => void;

export class EventStream {
  readonly #byType = new Map<string, Set<Listener>>();
  readonly #any = new Set<Listener>();
  readonly #iterators = new Set<{ push(e: OverseerEvent): void; end(): void }>();
  #ended = false;

  /** Where the system's listeners' errors go: this stream's and its other listeners' (onLatency). */
  constructor(readonly faults: ListenerFaultReport = listenerFaults(undefined)) {}

  on<T extends OverseerEventType | '*'>(
    type: T,
    listener: (event: T extends OverseerEventType ? OverseerEventOf<T> : OverseerEvent) => void,
  ): () => void {
    const fn = listener as Listener;
    if (type === '*') {
      this.#any.add(fn);
      return () => this.#any.delete(fn);
    }
    let set = this.#byType.get(type);
    if (!set) {
      set = new Set();
      this.#byType.set(type, set);
    }
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Whether anyone listens for `type`: lets the hot path skip building events nobody reads. */
  wants(type: OverseerEventType): boolean {
    return (
      this.#any.size > 0 || this.#iterators.size > 0 || (this.#byType.get(type)?.size ?? 0) > 0
    );
  }

  publish(event: OverseerEvent): void {
    const typed = this.#byType.get(event.type);
    if (typed) for (const fn of typed) this.#call(fn, event, event.type);
    for (const fn of this.#any) this.#call(fn, event, '*');
    for (const it of this.#iterators) it.push(event);
  }

  #call(fn: Listener, event: OverseerEvent, on: string): void {
    try {
      fn(event);
    } catch (error) {
      this.faults(`system.on('${on}')`, error);
    }
  }

  /**
   * Every event from now until the system stops. Past `maxBuffered` events unread, the
   * iterator stops listening, and throws EventsOverflowed once it has given those it holds.
   */
  iterate(maxBuffered = Number.POSITIVE_INFINITY): AsyncIterableIterator<OverseerEvent> {
    const buffer: OverseerEvent[] = [];
    let wake: (() => void) | undefined;
    let done = this.#ended;
    let overflowed = false;
    const iterators = this.#iterators;
    const sink = {
      push: (e: OverseerEvent) => {
        if (buffer.length >= maxBuffered) {
          overflowed = true;
          iterators.delete(sink);
        } else buffer.push(e);
        wake?.();
      },
      end: () => {
        done = true;
        wake?.();
      },
    };
    this.#iterators.add(sink);
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<OverseerEvent>> {
        while (buffer.length === 0 && !done && !overflowed)
          await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const value = buffer.shift();
        if (value !== undefined) return { done: false, value };
        if (overflowed && !done) {
          done = true;
          throw new EventsOverflowed(maxBuffered);
        }
        return { done: true, value: undefined };
      },
      async return(): Promise<IteratorResult<OverseerEvent>> {
        iterators.delete(sink);
        done = true;
        return { done: true, value: undefined };
      },
    };
  }

  end(): void {
    this.#ended = true;
    for (const it of this.#iterators) it.end();
    this.#iterators.clear();
  }
}
