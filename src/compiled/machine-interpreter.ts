// One macrostep of a compiled machine, as XState takes it: the event's transition (the
// first enabled candidate), then eventless transitions and raised events until neither
// moves the machine; each transition's exit, own and entry actions in order. Assigns
// change the working context (copied once per macrostep, so a committed snapshot never
// changes); emits, timers and cancels are queued as effects for the actor to carry out
// once the step commits. The actor (compiled-actor.ts) owns mailbox, commit and effects.

import type { ActorInspection } from './actor-inspection.js';
import { type Context, type MachineEvent, type Step, StepKind } from './compiled-behaviour.js';
import type { CompiledMachine, Leaf, Transition } from './compiled-machine.js';
import { type ActorStatus, CompiledSnapshot } from './compiled-snapshot.js';

export enum Effect {
  Emit = 0,
  Schedule = 1,
  Cancel = 2,
}

/** The args object XState hands guards and actions; one per actor, refilled per call. */
interface Args {
  context: Context;
  event: MachineEvent;
  readonly self: unknown;
  readonly system: unknown;
  readonly spawn: () => never;
}

let anonymousTimers = 0;

export class MachineInterpreter {
  leaf: Leaf;
  ctx: Context = {};
  status: ActorStatus = 'active';
  output: unknown;
  error: unknown;
  /** Effects of the step: [kind, event or id, timer] triples, carried out at commit. */
  effects: unknown[] = [];
  /**
   * The initial step's actions, held until the actor starts as XState holds them (it takes
   * the initial step when the actor is created): [custom action or undefined, type, params,
   * args] quadruples, each reported to an inspector, then run, before any effect.
   */
  held: unknown[] | undefined;
  readonly #internal: MachineEvent[] = [];
  readonly #args: Args;
  readonly #values: unknown[] = [];
  #copied = false;
  #changed = false;

  constructor(
    readonly m: CompiledMachine,
    private readonly self: unknown,
    system: unknown,
    private readonly inspection: ActorInspection | undefined,
  ) {
    this.leaf = m.initialLeaf;
    this.#args = { context: this.ctx, event: { type: '' }, self, system, spawn: refuseSpawn };
  }

  /**
   * The initial microstep (context from input, entry actions) and what follows it, taken
   * when the actor is created; its actions are held until start.
   */
  init(input: unknown): void {
    const init = { type: 'xstate.init', input };
    this.held = [];
    const factory = (this.m.machine.config as { context?: unknown }).context;
    this.ctx =
      typeof factory === 'function'
        ? factory({ input, self: this.self, spawn: refuseSpawn })
        : { ...((factory as Context | undefined) ?? {}) };
    this.#copied = true;
    this.#run(this.m.initialSteps, init);
    this.leaf = this.m.initialLeaf;
    this.#settle(init);
    this.#copied = false;
  }

  /** A macrostep for `event`; the actor commits (or fails) afterwards. */
  step(event: MachineEvent): void {
    this.#copied = false;
    const taken = this.#select(this.m.candidates(this.leaf, event.type), event);
    if (taken === undefined && event.type.startsWith('xstate.error.actor')) {
      // An unhandled child error ends the actor, as XState does.
      this.status = 'error';
      this.error = event.error;
      this.#microstep(event, undefined);
      return;
    }
    if (taken) this.#take(taken, event);
    this.#microstep(event, taken);
    this.#settle(event);
  }

  /** The step failed: its changes and effects are dropped. */
  reset(leaf: Leaf, ctx: Context): void {
    this.leaf = leaf;
    this.ctx = ctx;
    this.effects = [];
    this.#internal.length = 0;
  }

  /** Eventless transitions and raised events, until neither moves the machine. */
  #settle(event: MachineEvent): void {
    let current = event;
    let eventless = true;
    for (let i = 1; this.status === 'active'; i++) {
      if (i > this.m.maxIterations)
        throw new Error(`Infinite loop detected in machine "${this.m.id}" (maxIterations)`);
      let taken: Transition | undefined = eventless
        ? this.#select(this.leaf.always, current)
        : undefined;
      const fromEventless: boolean = taken !== undefined;
      if (!taken) {
        const raised = this.#internal.shift();
        if (raised === undefined) return;
        current = raised;
        taken = this.#select(this.m.candidates(this.leaf, current.type), current);
      }
      this.#changed = false;
      if (taken) this.#take(taken, current);
      // As XState: an eventless step that changed nothing is not looked for again.
      eventless = !fromEventless || this.#changed;
      this.#microstep(current, taken);
    }
  }

  #select(list: readonly Transition[], event: MachineEvent): Transition | undefined {
    for (let i = 0; i < list.length; i++) {
      const t = list[i] as Transition;
      if (t.guard === null || t.guard(this.ctx, event)) return t;
    }
    return undefined;
  }

  #take(t: Transition, event: MachineEvent): void {
    this.#run(t.steps, event);
    const to = t.to;
    if (to === null || to === this.leaf) return;
    this.leaf = to;
    this.#changed = true;
    if (to.done) this.#finish(to, event);
  }

  /** A top-level final state: the machine's output, then every state's exit actions. */
  #finish(to: Leaf, event: MachineEvent): void {
    this.status = 'done';
    const output = this.m.machine.root.output as unknown;
    if (output !== undefined) {
      const done = to.doneEvent as { type: string; output: unknown };
      const doneEvent =
        typeof done.output === 'function'
          ? { type: done.type, output: done.output({ context: this.ctx, event, self: this.self }) }
          : done;
      this.output =
        typeof output === 'function'
          ? output({ context: this.ctx, event: doneEvent, self: this.self })
          : output;
    }
    this.#run(to.exitOnDone, event);
  }

  #run(steps: readonly Step[], event: MachineEvent): void {
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i] as Step;
      const params =
        typeof s.params === 'function' ? s.params({ context: this.ctx, event }) : s.params;
      const args = this.#args;
      args.context = this.ctx;
      args.event = event;
      switch (s.kind) {
        case StepKind.Assign:
          this.#assign(s, args, params);
          break;
        case StepKind.Emit: {
          const emitted = s.fn ? s.fn(args, params) : s.value;
          this.#action(s.type, { event: emitted }, undefined, undefined);
          this.effects.push(Effect.Emit, emitted, undefined);
          break;
        }
        case StepKind.Raise: {
          const raised = (s.fn ? s.fn(args, params) : s.value) as MachineEvent;
          const delay = typeof s.delay === 'function' ? s.delay(args, params) : s.delay;
          this.#action(s.type, { event: raised, id: s.id, delay }, undefined, undefined);
          if (typeof delay !== 'number') this.#internal.push(raised);
          else this.effects.push(Effect.Schedule, raised, timer(s, delay));
          break;
        }
        case StepKind.Cancel:
          this.#action(s.type, { sendId: s.value }, undefined, undefined);
          this.effects.push(Effect.Cancel, s.value, undefined);
          break;
        default:
          if (this.held) {
            // Held until start: with the context as it is now (assigns copy while held).
            const own = { context: this.ctx, event, self: args.self, system: args.system };
            this.#action(s.type, params, s.fn, own);
            break;
          }
          this.inspection?.action(s.type, params);
          (s.fn as (a: unknown, p: unknown) => void)(args, params);
      }
    }
  }

  /** XState's assign: every property from the same context, then merged into a new one. */
  #assign(s: Step, args: Args, params: unknown): void {
    let partial: Context | undefined;
    const values = this.#values;
    const props = s.props;
    if (s.fn) partial = s.fn(args, params) as Context;
    else if (props) {
      values.length = 0;
      for (let i = 0; i < props.length; i++) {
        const value = (props[i] as readonly [string, unknown])[1];
        values.push(typeof value === 'function' ? value(args, params) : value);
      }
    }
    // A committed snapshot keeps its context: copy once per macrostep, then write in place
    // (every time while actions are held: a held action sees the context of its turn).
    if (!this.#copied || this.held) {
      this.ctx = { ...this.ctx };
      this.#copied = true;
    }
    if (partial) Object.assign(this.ctx, partial);
    else if (props)
      for (let i = 0; i < props.length; i++)
        this.ctx[(props[i] as readonly [string, unknown])[0]] = values[i];
    this.#changed = true;
  }

  /** An action reported to an inspector now, or held with the initial step's actions. */
  #action(type: string, params: unknown, fn: unknown, args: unknown): void {
    if (this.held) {
      if (this.inspection || fn) this.held.push(fn, type, params, args);
      return;
    }
    this.inspection?.action(type, params);
  }

  #microstep(event: MachineEvent, taken: Transition | undefined): void {
    if (!this.inspection) return;
    // The inspector keeps this context: the next assign copies it rather than write in it.
    this.#copied = false;
    const snapshot = new CompiledSnapshot(
      this.m,
      this.leaf,
      this.ctx,
      this.status,
      this.output,
      this.error,
    );
    this.inspection.microstep(snapshot, event, taken ? [taken.definition] : []);
  }
}

/** A delayed raise's timer: its id (XState's, or a counter's for an unnamed one) and delay. */
function timer(s: Step, delay: number): readonly [string, number] {
  return [s.id ?? `overseer:${++anonymousTimers}`, delay];
}

export function refuseSpawn(): never {
  throw new Error('spawn() is not supported in a compiled machine: run it as an XState actor');
}
