// The guards and actions of a machine, resolved once through its implementations into
// plain functions and step records the compiled interpreter runs. Anything XState would
// run that this does not model (spawning, sending to other actors, enqueued actions,
// `stateIn` guards, ...) is refused here, at compile time, never run differently.
import type { AnyStateMachine } from 'xstate';
import { UnsupportedMachineFeature } from '../errors/index.js';

export type Context = Record<string, unknown>;
export interface MachineEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}
// biome-ignore lint/suspicious/noExplicitAny: the user's guard and action functions
export type AnyFunction = (...args: any[]) => any;

/** A guard resolved to one call: `(context, event) => boolean`. */
export type Guard = (context: Context, event: MachineEvent) => boolean;

export enum StepKind {
  Assign = 0,
  Emit = 1,
  Raise = 2,
  Cancel = 3,
  Custom = 4,
}

/** One action of a transition, entry or exit, as the interpreter runs it. */
export interface Step {
  readonly kind: StepKind;
  /** The action's type as XState reports it to an inspector. */
  readonly type: string;
  /** Static params, or a function of `{ context, event }` (XState's parameterized actions). */
  readonly params: unknown;
  /** Assign: the assigner; emit/raise: the event expression; custom: the action. */
  readonly fn: AnyFunction | undefined;
  /** Assign in object form: each property and its value or expression. */
  readonly props: readonly (readonly [string, unknown])[] | undefined;
  /** Emit/raise: a literal event; cancel: the timer id. */
  readonly value: unknown;
  /** Raise: its timer id, if named. */
  readonly id: string | undefined;
  /** Raise: its delay (ms, or a function of the args); undefined raises at once. */
  readonly delay: number | AnyFunction | undefined;
}

interface Implementations {
  readonly actions: Record<string, unknown>;
  readonly guards: Record<string, unknown>;
  readonly delays: Record<string, unknown>;
}

type BuiltinGuard = AnyFunction & {
  check?: AnyFunction;
  guards?: unknown[];
  stateValue?: unknown;
};

const SUPPORTED_ACTIONS = new Set([
  'xstate.assign',
  'xstate.emit',
  'xstate.raise',
  'xstate.cancel',
]);

/** Compiles guards and actions of `machine`; `where` names the place for error messages. */
export class BehaviourCompiler {
  readonly #impl: Implementations;
  readonly #machineId: string;

  constructor(machine: AnyStateMachine) {
    this.#impl = machine.implementations as unknown as Implementations;
    this.#machineId = machine.id;
  }

  refuse(where: string, feature: string): never {
    throw new UnsupportedMachineFeature(this.#machineId, where, feature);
  }

  guard(guard: unknown, where: string): Guard | null {
    if (guard === undefined || guard === null) return null;
    return this.#guard(guard, where);
  }

  #guard(guard: unknown, where: string): Guard {
    if (typeof guard === 'string') return this.#named(guard, undefined, where);
    if (typeof guard === 'object' && guard !== null && 'type' in guard) {
      const { type, params } = guard as { type: string; params?: unknown };
      return this.#named(type, params, where);
    }
    if (typeof guard !== 'function') return this.refuse(where, `the guard ${String(guard)}`);
    return this.#function(guard as BuiltinGuard, undefined, where);
  }

  #named(name: string, params: unknown, where: string): Guard {
    const resolved = this.#impl.guards[name];
    if (resolved === undefined) return this.refuse(where, `the guard "${name}", not implemented`);
    if (typeof resolved !== 'function') return this.#guard(resolved, where);
    return this.#function(resolved as BuiltinGuard, params, where);
  }

  #function(fn: BuiltinGuard, params: unknown, where: string): Guard {
    const { check } = fn;
    if (check === undefined) {
      // A plain guard: XState calls it with `{ context, event }` and its resolved params.
      // One args object per guard, refilled per call (guards do not nest).
      const args: { context: Context; event: MachineEvent } = { context: {}, event: { type: '' } };
      if (typeof params === 'function')
        return (context, event) => {
          args.context = context;
          args.event = event;
          return fn(args, params({ context, event }));
        };
      return (context, event) => {
        args.context = context;
        args.event = event;
        return fn(args, params);
      };
    }
    const parts = (fn.guards ?? []).map((g) => this.#guard(g, where));
    switch (check.name) {
      case 'checkNot': {
        const [inner] = parts;
        if (!inner || parts.length !== 1) return this.refuse(where, 'not() of several guards');
        return (context, event) => !inner(context, event);
      }
      case 'checkAnd':
        return (context, event) => {
          for (const part of parts) if (!part(context, event)) return false;
          return true;
        };
      case 'checkOr':
        return (context, event) => {
          for (const part of parts) if (part(context, event)) return true;
          return false;
        };
      default:
        return this.refuse(where, `the built-in guard ${check.name.replace(/^check/, '')}`);
    }
  }

  step(action: unknown, where: string, params?: unknown): Step {
    if (typeof action === 'string') {
      const resolved = this.#impl.actions[action];
      if (resolved === undefined)
        return this.refuse(where, `the action "${action}", not implemented`);
      const step = this.step(resolved, where, params);
      // A named custom action reports its name; a named built-in its built-in type.
      return step.kind === StepKind.Custom ? { ...step, type: action } : step;
    }
    if (typeof action === 'object' && action !== null && 'type' in action) {
      const { type, params: given } = action as { type: string; params?: unknown };
      return this.step(type, where, given);
    }
    if (typeof action !== 'function') return this.refuse(where, `the action ${String(action)}`);
    const f = action as AnyFunction & Record<string, unknown>;
    const base = {
      params,
      fn: undefined,
      props: undefined,
      value: undefined,
      id: undefined,
      delay: undefined,
    };
    const type = f.type;
    if (type === undefined)
      return { ...base, kind: StepKind.Custom, type: f.name || '(anonymous)', fn: f };
    if (typeof type !== 'string' || !SUPPORTED_ACTIONS.has(type))
      return this.refuse(where, `the built-in action ${String(type)}`);
    switch (type) {
      case 'xstate.assign': {
        const assignment = f.assignment;
        if (typeof assignment === 'function')
          return { ...base, kind: StepKind.Assign, type, fn: assignment as AnyFunction };
        return {
          ...base,
          kind: StepKind.Assign,
          type,
          props: Object.entries(assignment as object),
        };
      }
      case 'xstate.emit':
        return typeof f.event === 'function'
          ? { ...base, kind: StepKind.Emit, type, fn: f.event as AnyFunction }
          : { ...base, kind: StepKind.Emit, type, value: f.event };
      case 'xstate.raise':
        return this.#raise(f, base, where);
      default: {
        const sendId = f.sendId;
        if (typeof sendId !== 'string') return this.refuse(where, 'cancel() with a computed id');
        return { ...base, kind: StepKind.Cancel, type, value: sendId };
      }
    }
  }

  #raise(
    f: AnyFunction & Record<string, unknown>,
    base: Omit<Step, 'kind' | 'type'>,
    where: string,
  ): Step {
    if (typeof f.event === 'string') return this.refuse(where, 'raise() of a string event');
    let delay = f.delay;
    if (typeof delay === 'string') {
      const configured = this.#impl.delays[delay];
      if (configured === undefined)
        return this.refuse(where, `the delay "${delay}", not implemented`);
      delay = configured;
    }
    if (delay !== undefined && typeof delay !== 'number' && typeof delay !== 'function')
      return this.refuse(where, `the delay ${String(delay)}`);
    if (f.id !== undefined && typeof f.id !== 'string')
      return this.refuse(where, 'raise() with a computed id');
    return {
      ...base,
      kind: StepKind.Raise,
      type: 'xstate.raise',
      fn: typeof f.event === 'function' ? (f.event as AnyFunction) : undefined,
      value: typeof f.event === 'function' ? undefined : f.event,
      id: f.id as string | undefined,
      delay: delay as number | AnyFunction | undefined,
    };
  }
}
