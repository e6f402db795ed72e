// An actor running a compiled machine with XState's semantics (xstate 5.33): a mailbox
// (events sent while it processes wait their turn), macrosteps of microsteps (the event's
// transition, then eventless transitions and raised events until it settles), emitted
// events, timers and stops deferred until the step is committed, errors that stop it and
// go to its parent as `xstate.error.actor.<id>`, and a stop of its own once it reaches a
// top-level final state (timers cancelled, `xstate.done.actor.<id>` to its parent).
//
// It keeps the actor surface callers use (start, send, getSnapshot, subscribe, on, id,
// sessionId, system, a parent link) so user logic can run as its child, and, when told the
// system is inspected, reports XState's inspection events; otherwise it builds none of them.
// One context copy per macrostep (later assigns of the same step write into it): a
// committed snapshot never changes.
import { type AnyActorRef, createActor, fromCallback } from 'xstate';
import type { SystemClock } from '../core/clock.js';
import { ActorInspection, reportUnhandledError } from './actor-inspection.js';
import { ActorListeners, type Observer } from './actor-listeners.js';
import { type Context, type MachineEvent, type Step, StepKind } from './compiled-behaviour.js';
import type { CompiledMachine, Leaf, Transition } from './compiled-machine.js';
import { type ActorStatus, CompiledSnapshot } from './compiled-snapshot.js';

export type TimerClock = Pick<SystemClock, 'setTimeout' | 'clearTimeout'>;

export interface CompiledActorOptions {
  readonly id: string;
  readonly input?: unknown;
  readonly clock: TimerClock;
  /** An XState actor to link under: its system hosts children, relays and the inspector. */
  readonly parent?: AnyActorRef;
  /** The system has an inspector: report inspection events (built only then). */
  readonly inspected?: boolean;
}

enum Deferred {
  Emit = 0,
  Schedule = 1,
  Cancel = 2,
}

let anonymousTimers = 0;

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
  readonly #listeners = new ActorListeners();
  // What the actor works on during a macrostep...
  #leaf: Leaf;
  #ctx: Context = {};
  #status: ActorStatus = 'active';
  #output: unknown;
  #error: unknown;
  // ...and what it committed last, which its snapshot shows.
  #committed: { leaf: Leaf; ctx: Context; status: ActorStatus } | undefined;
  #snapshot: CompiledSnapshot | undefined;
  #started = false;
  #processing = false;
  #copied = false;
  #changed = false;
  #mailbox: MachineEvent[] = [];
  #internal: MachineEvent[] = [];
  /** Effects of the current macrostep, run once it commits: [kind, a, b] triples. */
  #deferred: unknown[] = [];
  #timers: Map<string, unknown> | undefined;

  constructor(compiled: CompiledMachine, options: CompiledActorOptions) {
    this.#m = compiled;
    this.logic = compiled.machine;
    this.src = compiled.machine;
    this.id = options.id;
    this.#clock = options.clock;
    this.#input = options.input;
    this._parent = options.parent;
    this.#system = options.parent?.system;
    this.#inspection =
      options.inspected && this.#system ? new ActorInspection(this, this.#system) : undefined;
    this.sessionId = this.#inspection ? this.#inspection.bookId() : options.id;
    this.#leaf = compiled.initialLeaf;
    this.#inspection?.actor();
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
    try {
      const factory = (this.#m.machine.config as { context?: unknown }).context;
      this.#ctx =
        typeof factory === 'function'
          ? factory({ input: this.#input, self: this, spawn: refuseSpawn })
          : { ...((factory as Context | undefined) ?? {}) };
      this.#copied = true;
      this.#run(this.#m.initialSteps, init);
      this.#leaf = this.#m.initialLeaf;
      this.#settle(init);
    } catch (error) {
      this.#fail(error);
      return this;
    }
    this.#commit(init);
    this.#drain();
    return this;
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

  getSnapshot(): CompiledSnapshot {
    if (this.#snapshot) return this.#snapshot;
    const c = this.#committed ?? { leaf: this.#leaf, ctx: this.#ctx, status: this.#status };
    this.#snapshot = new CompiledSnapshot(
      this.#m,
      c.leaf,
      c.ctx,
      c.status,
      this.#output,
      this.#error,
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
    return this.#listeners.subscribe(this.#status, next, error, complete);
  }

  on(type: string, handler: (event: MachineEvent) => void): { unsubscribe(): void } {
    return this.#listeners.on(type, handler);
  }

  /** Stops the actor where it is: timers cancelled, observers completed. */
  stop(): this {
    if (this.#status !== 'active') return this;
    this.#status = 'stopped';
    this.#mailbox.length = 0;
    this.#cancelAll();
    this.#commitSnapshot();
    this.#listeners.complete();
    return this;
  }

  /** Delayed events pending now: id, event and delay (for tests comparing with XState). */
  pendingTimers(): { id: string; event: MachineEvent; delay: number }[] {
    return [...(this.#timers?.entries() ?? [])].map(([id, t]) => ({
      id,
      ...(t as { event: MachineEvent; delay: number }),
    }));
  }

  #drain(): void {
    // Sends made meanwhile, by listeners and actions, wait in the mailbox: one step at a time.
    this.#processing = true;
    const mailbox = this.#mailbox;
    while (mailbox.length > 0 && this.#status === 'active') {
      const event = mailbox.shift() as MachineEvent;
      try {
        this.#macrostep(event);
      } catch (error) {
        this.#fail(error);
        return;
      }
      if ((this.#status as ActorStatus) === 'error') {
        this.#fail(this.#error);
        return;
      }
      this.#commit(event);
    }
    this.#processing = false;
  }

  #macrostep(event: MachineEvent): void {
    this.#copied = false;
    const taken = this.#select(this.#m.candidates(this.#leaf, event.type), event);
    if (taken === undefined && event.type.startsWith('xstate.error.actor.')) {
      // An unhandled child error ends the actor, as XState does.
      this.#status = 'error';
      this.#error = event.error;
      this.#inspection?.microstep(this.#microstepSnapshot(), event, []);
      return;
    }
    if (taken) this.#take(taken, event);
    this.#inspection?.microstep(this.#microstepSnapshot(), event, taken ? [taken.definition] : []);
    this.#settle(event);
  }

  /** Eventless transitions and raised events, until neither moves the machine. */
  #settle(event: MachineEvent): void {
    let current = event;
    let eventless = true;
    for (let i = 1; this.#status === 'active'; i++) {
      if (i > this.#m.maxIterations)
        throw new Error(`Infinite loop detected in machine "${this.#m.id}" (maxIterations)`);
      let taken: Transition | undefined = eventless
        ? this.#select(this.#leaf.always, current)
        : undefined;
      const fromEventless: boolean = taken !== undefined;
      if (!taken) {
        const raised = this.#internal.shift();
        if (raised === undefined) return;
        current = raised;
        taken = this.#select(this.#m.candidates(this.#leaf, current.type), current);
      }
      this.#changed = false;
      if (taken) this.#take(taken, current);
      eventless = !fromEventless || this.#changed;
      this.#inspection?.microstep(
        this.#microstepSnapshot(),
        current,
        taken ? [taken.definition] : [],
      );
    }
  }

  #select(list: readonly Transition[], event: MachineEvent): Transition | undefined {
    for (let i = 0; i < list.length; i++) {
      const t = list[i] as Transition;
      if (t.guard === null || t.guard(this.#ctx, event)) return t;
    }
    return undefined;
  }

  #take(t: Transition, event: MachineEvent): void {
    this.#run(t.steps, event);
    const to = t.to;
    if (to === null || to === this.#leaf) return;
    this.#leaf = to;
    this.#changed = true;
    if (!to.done) return;
    this.#status = 'done';
    const output = this.#m.machine.root.output as unknown;
    if (output !== undefined) {
      const doneEvent = to.doneEvent as { type: string; output: unknown };
      const resolved =
        typeof doneEvent.output === 'function'
          ? {
              type: doneEvent.type,
              output: doneEvent.output({ context: this.#ctx, event, self: this }),
            }
          : doneEvent;
      this.#output =
        typeof output === 'function'
          ? output({ context: this.#ctx, event: resolved, self: this })
          : output;
    }
    this.#run(to.exitOnDone, event);
  }

  #run(steps: readonly Step[], event: MachineEvent): void {
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i] as Step;
      const params =
        typeof s.params === 'function' ? s.params({ context: this.#ctx, event }) : s.params;
      if (s.kind === StepKind.Assign) {
        this.#assign(s, event, params);
        continue;
      }
      const args = { context: this.#ctx, event, self: this, system: this.#system };
      switch (s.kind) {
        case StepKind.Emit: {
          const emitted = s.fn ? s.fn(args, params) : s.value;
          this.#inspection?.action(s.type, { event: emitted });
          this.#deferred.push(Deferred.Emit, emitted, undefined);
          break;
        }
        case StepKind.Raise: {
          const raised = (s.fn ? s.fn(args, params) : s.value) as MachineEvent;
          const delay = typeof s.delay === 'function' ? s.delay(args, params) : s.delay;
          this.#inspection?.action(s.type, { event: raised, id: s.id, delay });
          if (typeof delay !== 'number') this.#internal.push(raised);
          else
            this.#deferred.push(Deferred.Schedule, raised, [
              s.id ?? `overseer:${++anonymousTimers}`,
              delay,
            ]);
          break;
        }
        case StepKind.Cancel:
          this.#inspection?.action(s.type, { sendId: s.value });
          this.#deferred.push(Deferred.Cancel, s.value, undefined);
          break;
        default:
          this.#inspection?.action(s.type, params);
          (s.fn as (a: unknown, p: unknown) => void)(args, params);
      }
    }
  }

  #assign(s: Step, event: MachineEvent, params: unknown): void {
    const args = {
      context: this.#ctx,
      event,
      spawn: refuseSpawn,
      self: this,
      system: this.#system,
    };
    let partial: Context;
    if (s.fn) partial = s.fn(args, params) as Context;
    else {
      partial = {};
      for (const [key, value] of s.props ?? [])
        partial[key] = typeof value === 'function' ? value(args, params) : value;
    }
    // A committed snapshot keeps its context: copy once per macrostep, then write in place.
    if (!this.#copied) {
      this.#ctx = { ...this.#ctx };
      this.#copied = true;
    }
    Object.assign(this.#ctx, partial);
    this.#changed = true;
  }

  #commit(event: MachineEvent): void {
    this.#commitSnapshot();
    const deferred = this.#deferred;
    if (deferred.length > 0) {
      this.#deferred = [];
      for (let i = 0; i < deferred.length; i += 3)
        this.#effect(deferred[i] as Deferred, deferred[i + 1], deferred[i + 2]);
    }
    this.#listeners.next(this.#snapshotOf);
    if (this.#status === 'done') {
      this.#cancelAll();
      this.#listeners.complete();
      this.#relay({ type: `xstate.done.actor.${this.id}`, output: this.#output, actorId: this.id });
    }
    this.#inspection?.snapshot(event, this);
  }

  readonly #snapshotOf = () => this.getSnapshot();

  #commitSnapshot(): void {
    this.#committed = { leaf: this.#leaf, ctx: this.#ctx, status: this.#status };
    this.#snapshot = undefined;
  }

  #effect(kind: Deferred, a: unknown, b: unknown): void {
    if (kind === Deferred.Emit) this.#listeners.emit(a as MachineEvent);
    else if (kind === Deferred.Schedule) {
      const [id, delay] = b as [string, number];
      this.#schedule(id, a as MachineEvent, delay);
    } else this.#cancel(a as string);
  }

  #schedule(id: string, event: MachineEvent, delay: number): void {
    this.#timers ??= new Map();
    // As XState: a second timer under the same id replaces the entry, not the first timer.
    const entry = { event, delay, handle: undefined as unknown };
    entry.handle = this.#clock.setTimeout(() => {
      if (this.#timers?.get(id) === entry) this.#timers.delete(id);
      this.#inspection?.event(this, event);
      this._send(event);
    }, delay);
    this.#timers.set(id, entry);
  }

  #cancel(id: string): void {
    const entry = this.#timers?.get(id) as { handle: unknown } | undefined;
    if (entry === undefined) return;
    this.#timers?.delete(id);
    this.#clock.clearTimeout(entry.handle);
  }

  #cancelAll(): void {
    if (!this.#timers) return;
    for (const entry of this.#timers.values())
      this.#clock.clearTimeout((entry as { handle: unknown }).handle);
    this.#timers.clear();
  }

  #fail(error: unknown): void {
    this.#processing = false;
    // As XState: the failed step's changes are dropped; the last committed state stays.
    if (this.#committed) {
      this.#leaf = this.#committed.leaf;
      this.#ctx = this.#committed.ctx;
    }
    this.#status = 'error';
    this.#error = error;
    this.#deferred = [];
    this.#internal.length = 0;
    this.#mailbox.length = 0;
    this.#cancelAll();
    this.#commitSnapshot();
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

  #microstepSnapshot(): CompiledSnapshot {
    return new CompiledSnapshot(
      this.#m,
      this.#leaf,
      { ...this.#ctx },
      this.#status,
      this.#output,
      this.#error,
    );
  }
}

function refuseSpawn(): never {
  throw new Error('spawn() is not supported in a compiled machine: run it as an XState actor');
}

function warnStopped(actor: CompiledActor, event: MachineEvent): void {
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
