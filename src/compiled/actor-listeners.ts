// Who hears a compiled actor: observers of its snapshots (next, error, complete) and
// handlers of the events it emits, by type or `*`. As in XState, a handler or observer
// that throws does not stop the actor: the error is reported on its own, later.

import { reportUnhandledError } from './actor-inspection.js';
import type { MachineEvent } from './compiled-behaviour.js';
import type { ActorStatus, CompiledSnapshot } from './compiled-snapshot.js';

export interface Observer {
  next?(snapshot: CompiledSnapshot): void;
  error?(error: unknown): void;
  complete?(): void;
}

/** A handler of emitted events; the second argument is the actor's `owner` (XState's have none). */
type Handler = (event: MachineEvent, owner: unknown) => void;

export class ActorListeners {
  /** What the actor's owner gave it to be handed back with each emitted event. */
  constructor(private readonly owner: unknown) {}

  #observers: Set<Observer> | undefined;
  /** The first `*` handler (the runtime's), held apart: the common case costs no lookup. */
  #wildcard: Handler | undefined;
  #byType: Map<string, Set<Handler>> | undefined;

  subscribe(
    status: ActorStatus,
    next: Observer | ((snapshot: CompiledSnapshot) => void),
    error?: (error: unknown) => void,
    complete?: () => void,
  ): { unsubscribe(): void } {
    const observer: Observer =
      typeof next === 'function'
        ? { next, ...(error ? { error } : {}), ...(complete ? { complete } : {}) }
        : next;
    if (status === 'active') {
      this.#observers ??= new Set();
      this.#observers.add(observer);
    } else if (status === 'done' || status === 'stopped') observer.complete?.();
    return { unsubscribe: () => this.#observers?.delete(observer) };
  }

  on(type: string, handler: Handler): { unsubscribe(): void } {
    if (type === '*' && this.#wildcard === undefined) {
      this.#wildcard = handler;
      return new WildcardSubscription(this, handler);
    }
    // Each registration is its own entry, as XState's bound copies are.
    const own: Handler = (event, owner) => handler(event, owner);
    this.#byType ??= new Map();
    let set = this.#byType.get(type);
    if (!set) {
      set = new Set();
      this.#byType.set(type, set);
    }
    set.add(own);
    return { unsubscribe: () => set.delete(own) };
  }

  emit(event: MachineEvent): void {
    const { owner } = this;
    const typed = this.#byType?.get(event.type);
    if (typed) for (const handler of [...typed]) call(handler, event, owner);
    if (this.#wildcard) call(this.#wildcard, event, owner);
    const others = this.#byType?.get('*');
    if (others) for (const handler of [...others]) call(handler, event, owner);
  }

  /** Whether any observer follows the snapshots. */
  get observed(): boolean {
    return this.#observers !== undefined && this.#observers.size > 0;
  }

  next(current: CompiledSnapshot): void {
    if (!this.#observers) return;
    for (const observer of [...this.#observers]) {
      try {
        observer.next?.(current);
      } catch (error) {
        reportUnhandledError(error);
      }
    }
  }

  /** The actor ended well: observers complete, and nobody hears it any more. */
  complete(): void {
    const observers = this.#observers;
    this.#clear();
    for (const observer of observers ?? []) {
      try {
        observer.complete?.();
      } catch (error) {
        reportUnhandledError(error);
      }
    }
  }

  /** The actor failed: returns whether any observer took the error. */
  error(error: unknown): boolean {
    const observers = this.#observers;
    this.#clear();
    if (!observers || observers.size === 0) return false;
    let unheard = false;
    for (const observer of observers) {
      if (!observer.error) unheard = true;
      try {
        observer.error?.(error);
      } catch (thrown) {
        reportUnhandledError(thrown);
      }
    }
    if (unheard) reportUnhandledError(error);
    return true;
  }

  /** Drops the `*` handler held apart, if it is still `handler`. */
  dropWildcard(handler: Handler): void {
    if (this.#wildcard === handler) this.#wildcard = undefined;
  }

  #clear(): void {
    this.#observers = undefined;
    this.#wildcard = undefined;
    this.#byType = undefined;
  }
}

function call(handler: Handler, event: MachineEvent, owner: unknown): void {
  try {
    handler(event, owner);
  } catch (error) {
    reportUnhandledError(error);
  }
}

/** The subscription of the `*` handler held apart: one object, no closure. */
class WildcardSubscription {
  constructor(
    private readonly listeners: ActorListeners,
    private readonly handler: Handler,
  ) {}

  unsubscribe(): void {
    this.listeners.dropWildcard(this.handler);
  }
}
