// The inspection events a compiled actor reports, shaped as XState's (`@xstate.actor`,
// `@xstate.event`, `@xstate.microstep`, `@xstate.action`, `@xstate.snapshot`) and sent
// through the XState system it is linked into, so an inspector draws it in the actor
// tree like any other actor. An actor only has one when its system is inspected.
import type { AnyActorRef } from 'xstate';
import type { MachineEvent } from './compiled-behaviour.js';

type ActorSystem = AnyActorRef['system'];
interface InspectableSystem {
  _sendInspectionEvent(event: Record<string, unknown>): void;
  _bookId(): string;
}

interface Inspected {
  readonly _parent: unknown;
  getSnapshot(): unknown;
}

/** As XState reports an error nobody handled: thrown on its own, outside the actor. */
export function reportUnhandledError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}

export class ActorInspection {
  readonly #system: InspectableSystem;

  constructor(
    private readonly actorRef: Inspected,
    system: ActorSystem,
  ) {
    this.#system = system as unknown as InspectableSystem;
  }

  bookId(): string {
    return this.#system._bookId();
  }

  actor(): void {
    this.#system._sendInspectionEvent({ type: '@xstate.actor', actorRef: this.actorRef });
  }

  /** An event delivered to `target` (this actor unless given), sent by `source`. */
  event(source: unknown, event: MachineEvent, target: unknown = this.actorRef): void {
    this.#system._sendInspectionEvent({
      type: '@xstate.event',
      sourceRef: source,
      actorRef: target,
      event,
    });
  }

  microstep(snapshot: unknown, event: MachineEvent, transitions: readonly unknown[]): void {
    this.#system._sendInspectionEvent({
      type: '@xstate.microstep',
      actorRef: this.actorRef,
      event,
      snapshot,
      _transitions: transitions,
    });
  }

  action(type: string, params: unknown): void {
    this.#system._sendInspectionEvent({
      type: '@xstate.action',
      actorRef: this.actorRef,
      action: { type, params },
    });
  }

  snapshot(event: MachineEvent, actor: Inspected): void {
    this.#system._sendInspectionEvent({
      type: '@xstate.snapshot',
      actorRef: this.actorRef,
      event,
      snapshot: actor.getSnapshot(),
    });
  }
}
