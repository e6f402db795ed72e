// An actor running a compiled machine with XState's semantics (xstate 5.33): a mailbox
// (events sent while it processes wait their turn), macrosteps (machine-interpreter.ts),
// then a commit: the snapshot, the step's emitted events, timers and cancels in order,
// observers; errors stop it and go to its parent as `xstate.error.actor.<id>`; a top-level
// final state stops it (timers cancelled, `xstate.done.actor.<id>` to its parent).
//
// It keeps the actor surface callers use (start, send, getSnapshot, subscribe, on, id,
// sessionId, system, a parent link) so user logic can run as its child, and, when told the
// system is inspected, reports XState's inspection events; otherwise it builds none.
import { type AnyActorRef, createActor, fromCallback } from 'xstate';
import {
  ActorInspection,
  type InspectionSink,
  reportUnhandledError,
  systemInspection,
  warnStopped,
} from './actor-inspection.js';
import { ActorListeners, type Observer } from './actor-listeners.js';
import { ActorTimers, type TimerClock } from './actor-timers.js';
import type { Context, MachineEvent } from './compiled-behaviour.js';
import type { CompiledMachine, Leaf } from './compiled-machine.js';
import { type ActorStatus, CompiledSnapshot } from './compiled-snapshot.js';
import { Effect, MachineInterpreter } from './machine-interpreter.js';

export type { TimerClock } from './actor-timers.js';

export interface CompiledActorOptions {
  readonly id: string;
  readonly input?: unknown;
  readonly clock: TimerClock;
  /** An XState actor to link under: its system hosts children, relays and the inspector. */
  readonly parent?: AnyActorRef;
  /** Report inspection events (built only then) to this sink... */
  readonly inspection?: InspectionSink;
  /** ...or through the parent's XState system, whose inspector sees them. */
  readonly inspected?: boolean;
  /**
   * Send the parent `xstate.done.actor.<id>` when the actor ends (default true). A parent
   * that drops those events (the runtime's task lane) spares the relay.
   */
  readonly reportDone?: boolean;
  /** Handed to `on` handlers with each emitted event: one handler serves many actors. */
  readonly owner?: unknown;
}

export class CompiledActor {
  readonly id: string;
  readonly sessionId: string;
  readonly _parent: AnyActorRef | undefined;
  readonly logic: CompiledMachine['machine'];
  readonly src: CompiledMachine['machine'];
  readonly ref: this = this;
  #system: AnyActorRef['system'] | undefined;
  readonly #m: CompiledMachine;
  readonly #clock: TimerClock;
  readonly #input: unknown;
  readonly #inspection: ActorInspection | undefined;
  readonly #listeners: ActorListeners;
  /** Made on the first delayed event: most task actors never arm one. */
  #timers: ActorTimers | undefined;
  readonly #i: MachineInterpreter;
  // What the last commit showed: the snapshot is built from it on demand.
  #leaf: Leaf;
  #ctx: Context = {};
  #status: ActorStatus = 'active';
  #snapshot: CompiledSnapshot | undefined;
  #started = false;
  #processing = false;
  #initError: { readonly error: unknown } | undefined;
  readonly #reportDone: boolean;
  /** Processing ended: stopped, failed, or done and committed. */
  #ended = false;
  readonly #mailbox: MachineEvent[] = [];

  constructor(compiled: CompiledMachine, options: CompiledActorOptions) {
    this.#m = compiled;
    this.logic = compiled.machine;
    this.src = compiled.machine;
    this.id = options.id;
    this.#listeners = new ActorListeners(options.owner);
    this.#clock = options.clock;
    this.#input = options.input;
    this._parent = options.parent;
    this.#reportDone = options.reportDone ?? true;
    this.#system = options.parent?.system;
    const sink =
      options.inspection ??
      (options.inspected && this.#system ? systemInspection(this.#system) : undefined);
    this.#inspection = sink ? new ActorInspection(this, sink) : undefined;
    this.sessionId = this.#inspection ? this.#inspection.bookId() : options.id;
    this.#leaf = compiled.initialLeaf;
    this.#i = new MachineInterpreter(compiled, this, this.#system, this.#inspection);
    this.#inspection?.actor();
    // As XState: the initial step is taken now, its actions held until start.
    try {
      this.#i.init(this.#input);
      this.#leaf = this.#i.leaf;
      this.#ctx = this.#i.ctx;
      this.#status = this.#i.status;
    } catch (error) {
      this.#initError = { error };
    }
  }

  /** The XState system children join (the parent's, or one of its own made on demand). */
  get system(): AnyActorRef['system'] {
    this.#system ??= createActor(
      fromCallback(() => undefined),
      { clock: this.#clock },
    ).system;
    return this.#system;
  }

  start(): this {
    if (this.#started) return this;
    this.#started = true;
    const init = { type: 'xstate.init', input: this.#input };
    this.#inspection?.event(this._parent, init);
    this.#processing = true;
    if (this.#initError) {
      this.#fail(this.#initError.error);
      return this;
    }
    try {
      this.#runHeld();
    } catch (error) {
      // As XState: the initial step stands; the actor fails in it.
      this.#fail(error);
      return this;
    }
    this.#commit(init);
    this.#drain();
    return this;
  }

  /** The initial step's actions, in order, before its effects. */
  #runHeld(): void {
    const held = this.#i.held ?? [];
    this.#i.held = undefined;
    for (let k = 0; k < held.length; k += 4) {
      this.#inspection?.action(held[k + 1] as string, held[k + 2]);
      const fn = held[k] as ((args: unknown, params: unknown) => void) | undefined;
      if (fn) fn(held[k + 3], held[k + 2]);
    }
  }

  send(event: MachineEvent): void {
    this.#inspection?.event(undefined, event);
    this._send(event);
  }

  /** Delivery without inspection (XState's system relays call this after reporting). */
  _send(event: MachineEvent): void {
    if (this.#status !== 'active') {
      if (process.env.NODE_ENV !== 'production') warnStopped(this, event);
      return;
    }
    this.#mailbox.push(event);
    if (this.#processing || !this.#started) return;
    this.#drain();
  }

  /** The committed state value, without building a snapshot (the runtime's fast path). */
  get value(): unknown {
    return this.#leaf.value;
  }

  getSnapshot(): CompiledSnapshot {
    this.#snapshot ??= new CompiledSnapshot(
      this.#m,
      this.#leaf,
      this.#ctx,
      this.#status,
      this.#i.output,
      this.#i.error,
    );
    return this.#snapshot;
  }

  getPersistedSnapshot(): Record<string, unknown> {
    return this.getSnapshot().toJSON();
  }

  subscribe(
    next: Observer | ((snapshot: CompiledSnapshot) => void),
    error?: (error: unknown) => void,
    complete?: () => void,
  ): { unsubscribe(): void } {
    // As XState: observers join until the actor has stopped processing (even one that
    // reached its final state in its initial step, before start).
    return this.#listeners.subscribe(this.#ended ? this.#status : 'active', next, error, complete);
  }

  on(
    type: string,
    handler: (event: MachineEvent, owner: unknown) => void,
  ): { unsubscribe(): void } {
    return this.#listeners.on(type, handler);
  }

  /** Stops the actor where it is: timers cancelled, observers completed. */
  stop(): this {
    if (this.#status !== 'active') return this;
    this.#status = 'stopped';
    this.#i.status = 'stopped';
    this.#ended = true;
    this.#mailbox.length = 0;
    this.#timers?.cancelAll();
    this.#snapshot = undefined;
    this.#listeners.complete();
    return this;
  }

  /** Delayed events pending now: id, event and delay (for tests comparing with XState). */
  pendingTimers(): { id: string; event: MachineEvent; delay: number }[] {
    return this.#timers?.pending() ?? [];
  }

  #drain(): void {
    // Sends made meanwhile, by listeners and actions, wait in the mailbox: one step at a time.
    this.#processing = true;
    const mailbox = this.#mailbox;
    while (mailbox.length > 0 && this.#status === 'active') {
      const event = mailbox.shift() as MachineEvent;
      try {
        this.#i.step(event);
      } catch (error) {
        this.#fail(error);
        return;
      }
      if (this.#i.status === 'error') {
        this.#fail(this.#i.error);
        return;
      }
      this.#commit(event);
    }
    this.#processing = false;
  }

  #commit(event: MachineEvent): void {
    const i = this.#i;
    this.#leaf = i.leaf;
    this.#ctx = i.ctx;
    this.#status = i.status;
    this.#snapshot = undefined;
    const effects = i.effects;
    for (let k = 0; k < effects.length; k += 3) {
      const kind = effects[k] as Effect;
      if (kind === Effect.Emit) this.#listeners.emit(effects[k + 1] as MachineEvent);
      else if (kind === Effect.Cancel) this.#timers?.cancel(effects[k + 1] as string);
      else {
        const [id, delay] = effects[k + 2] as readonly [string, number];
        this.#timersOf().schedule(id, effects[k + 1] as MachineEvent, delay);
      }
    }
    effects.length = 0;
    if (this.#listeners.observed) this.#listeners.next(this.getSnapshot());
    if (this.#status === 'done') {
      this.#ended = true;
      this.#timers?.cancelAll();
      this.#listeners.complete();
      if (this.#reportDone)
        this.#relay({ type: `xstate.done.actor.${this.id}`, output: i.output, actorId: this.id });
    }
    this.#inspection?.snapshot(event, this);
  }

  #timersOf(): ActorTimers {
    this.#timers ??= new ActorTimers(this.#clock, (event) => {
      this.#inspection?.event(this, event);
      this._send(event);
    });
    return this.#timers;
  }

  #fail(error: unknown): void {
    this.#processing = false;
    // As XState: the failed step's changes are dropped; the last committed state stays.
    this.#i.reset(this.#leaf, this.#ctx);
    this.#i.status = 'error';
    this.#i.error = error;
    this.#status = 'error';
    this.#ended = true;
    this.#snapshot = undefined;
    this.#mailbox.length = 0;
    this.#timers?.cancelAll();
    const heard = this.#listeners.error(error);
    if (!heard && !this._parent) reportUnhandledError(error);
    this.#relay({ type: `xstate.error.actor.${this.id}`, error, actorId: this.id });
  }

  #relay(event: MachineEvent): void {
    const parent = this._parent;
    if (!parent) return;
    this.#inspection?.event(this, event, parent);
    (parent as unknown as { _send(e: MachineEvent): void })._send(event);
  }
}
