// The inspection events a compiled actor reports, shaped as XState's (`@xstate.actor`,
// `@xstate.event`, `@xstate.microstep`, `@xstate.action`, `@xstate.snapshot`, each with the
// root's `rootId`), so an inspector draws it in the actor tree like any other actor. They
// go to an inspection sink: through the XState system it is linked into (which copies each
// event to add `rootId`), or straight to the system's inspector when the runtime knows it
// (`directInspection`: the same events, built once). An actor only has one when inspected.
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import type { MachineEvent } from './compiled-behaviour.js';

/** Where a compiled actor's inspection events go. */
export interface InspectionSink {
  /** The root actor's session id, or undefined to let the XState system add it. */
  readonly rootId: string | undefined;
  /** A session id, unique in the actor system. */
  bookId(): string;
  send(event: Record<string, unknown>): void;
}

interface InspectableSystem {
  _sendInspectionEvent(event: Record<string, unknown>): void;
  _bookId(): string;
}

/** Through an XState system's own inspection (it adds `rootId` to a copy of each event). */
export function systemInspection(system: AnyActorRef['system']): InspectionSink {
  const s = system as unknown as InspectableSystem;
  return { rootId: undefined, bookId: () => s._bookId(), send: (e) => s._sendInspectionEvent(e) };
}

/**
 * Straight to the inspector the system `root` was created with: the events XState's system
 * would hand it, without its copy of each.
 */
export function directInspection(
  root: AnyActorRef,
  inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void),
): InspectionSink {
  const s = root.system as unknown as InspectableSystem;
  const next =
    typeof inspect === 'function' ? inspect : (event: InspectionEvent) => inspect.next?.(event);
  return {
    rootId: root.sessionId,
    bookId: () => s._bookId(),
    send: (event) => next(event as unknown as InspectionEvent),
  };
}

/** As XState reports an error nobody handled: thrown on its own, outside the actor. */
export function reportUnhandledError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}

/** As XState's development build warns of an event sent to a stopped actor. */
export function warnStopped(
  actor: { readonly id: string; readonly sessionId: string },
  event: MachineEvent,
): void {
  let text: string;
  try {
    text = JSON.stringify(event);
  } catch {
    text = String(event);
  }
  console.warn(
    `Event "${event.type}" was sent to stopped actor "${actor.id} (${actor.sessionId})". This actor has already reached its final state, and will not transition.\nEvent: ${text}`,
  );
}

interface Inspected {
  readonly _parent: unknown;
  getSnapshot(): unknown;
}

export class ActorInspection {
  readonly #sink: InspectionSink;
  readonly #rootId: string | undefined;

  constructor(
    private readonly actorRef: Inspected,
    sink: InspectionSink,
  ) {
    this.#sink = sink;
    this.#rootId = sink.rootId;
  }

  bookId(): string {
    return this.#sink.bookId();
  }

  actor(): void {
    this.#sink.send({ type: '@xstate.actor', actorRef: this.actorRef, rootId: this.#rootId });
  }

  /** An event delivered to `target` (this actor unless given), sent by `source`. */
  event(source: unknown, event: MachineEvent, target: unknown = this.actorRef): void {
    this.#sink.send({
      type: '@xstate.event',
      sourceRef: source,
      actorRef: target,
      event,
      rootId: this.#rootId,
    });
  }

  microstep(snapshot: unknown, event: MachineEvent, transitions: readonly unknown[]): void {
    this.#sink.send({
      type: '@xstate.microstep',
      actorRef: this.actorRef,
      event,
      snapshot,
      _transitions: transitions,
      rootId: this.#rootId,
    });
  }

  action(type: string, params: unknown): void {
    this.#sink.send({
      type: '@xstate.action',
      actorRef: this.actorRef,
      action: { type, params },
      rootId: this.#rootId,
    });
  }

  snapshot(event: MachineEvent, actor: Inspected): void {
    this.#sink.send({
      type: '@xstate.snapshot',
      actorRef: this.actorRef,
      event,
      snapshot: actor.getSnapshot(),
      rootId: this.#rootId,
    });
  }
}
