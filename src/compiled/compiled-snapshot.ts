// The snapshot a compiled actor hands out: the fields of XState's machine snapshot that
// callers read (value, context, status, output, error) and its query methods, built only
// when someone asks for it and shared until the actor moves again.
import type { AnyStateMachine } from 'xstate';
import type { Context, MachineEvent } from './compiled-behaviour.js';
import type { CompiledMachine, Leaf } from './compiled-machine.js';

export type ActorStatus = 'active' | 'done' | 'error' | 'stopped';

const NO_TAGS: ReadonlySet<string> = new Set();

/** Whether `value` (a state value) is in `wanted` (a state value or a dotted key). */
function valueMatches(value: unknown, wanted: unknown): boolean {
  if (typeof wanted === 'string') {
    const [head, ...rest] = wanted.split('.');
    if (typeof value === 'string') return rest.length === 0 && value === head;
    const inner = (value as Record<string, unknown>)[head as string];
    if (inner === undefined) return false;
    return rest.length === 0 || valueMatches(inner, rest.join('.'));
  }
  if (typeof wanted !== 'object' || wanted === null) return false;
  if (typeof value === 'string') return false;
  return Object.entries(wanted).every(([key, sub]) => {
    const inner = (value as Record<string, unknown>)[key];
    return inner !== undefined && valueMatches(inner, sub);
  });
}

export class CompiledSnapshot {
  readonly machine: AnyStateMachine;
  readonly children: Record<string, never> = {};
  readonly historyValue: Record<string, never> = {};

  constructor(
    private readonly compiled: CompiledMachine,
    private readonly leaf: Leaf,
    readonly context: Context,
    readonly status: ActorStatus,
    readonly output: unknown,
    readonly error: unknown,
  ) {
    this.machine = compiled.machine;
  }

  get value(): unknown {
    return this.leaf.value;
  }

  get tags(): ReadonlySet<string> {
    return NO_TAGS;
  }

  matches(wanted: unknown): boolean {
    return valueMatches(this.leaf.value, wanted);
  }

  hasTag(_tag: string): boolean {
    return false;
  }

  /** Whether `event` would take a transition now (one with a target or actions). */
  can(event: MachineEvent): boolean {
    for (const t of this.compiled.candidates(this.leaf, event.type)) {
      if (t.guard === null || t.guard(this.context, event))
        return t.to !== null || t.steps.length > 0;
    }
    return false;
  }

  getMeta(): Record<string, never> {
    return {};
  }

  toJSON(): Record<string, unknown> {
    return {
      value: this.leaf.value,
      context: this.context,
      status: this.status,
      output: this.output,
      error: this.error,
      children: {},
      historyValue: {},
      tags: [],
    };
  }
}
