// A machine definition compiled into tables, once, at start-up: for each leaf state, its
// state value, the transitions each event type can take (in XState's selection order:
// the leaf first, then its ancestors; per state node the exact event descriptor, or else
// its wildcards longest first) and its eventless transitions, each with the exit, transition
// and entry actions it runs already laid out. The machine in `machines/` stays the one
// source of truth: nothing of the lifecycle is written here; `CompiledActor` runs the tables.
//
// Supported (anything else is refused with UnsupportedMachineFeature): atomic, compound and
// top-level final states; one target per transition (by key or #id), `reenter`; guards by
// name, inline, with params, and/or/not; assign, emit, raise (now or delayed, named or
// numeric delay, `after`), cancel by id, custom actions; context from input; output.
import type { AnyStateMachine } from 'xstate';
import { BehaviourCompiler, type Guard, type Step } from './compiled-behaviour.js';

// biome-ignore lint/suspicious/noExplicitAny: XState's state nodes are internal
type StateNode = any;

export interface Transition {
  readonly guard: Guard | null;
  readonly steps: readonly Step[];
  /** The leaf the machine is in afterwards; null for a targetless transition. */
  readonly to: Leaf | null;
  /** XState's transition definition, reported to an inspector. */
  readonly definition: unknown;
}

export interface Leaf {
  readonly id: string;
  /** The state value, shared by every snapshot in this leaf (frozen). */
  readonly value: unknown;
  /** A top-level final state: reaching it ends the actor. */
  readonly done: boolean;
  /** The done event its output function sees (`xstate.done.state.<id>`). */
  readonly doneEvent: { readonly type: string; readonly output: unknown } | undefined;
  /** Exit actions of the whole configuration, run when the actor reaches this (final) leaf. */
  readonly exitOnDone: readonly Step[];
  readonly always: readonly Transition[];
  /** The leaf and its ancestors, leaf first. */
  readonly chain: readonly StateNode[];
  readonly byType: Map<string, readonly Transition[]>;
}

export interface CompiledMachine {
  readonly machine: AnyStateMachine;
  readonly id: string;
  readonly initialSteps: readonly Step[];
  readonly initialLeaf: Leaf;
  readonly leaves: ReadonlyMap<string, Leaf>;
  readonly maxIterations: number;
  /** The transitions an event of `type` may take in `leaf`, in selection order. */
  candidates(leaf: Leaf, type: string): readonly Transition[];
}

const isDescendant = (child: StateNode, ancestor: StateNode): boolean => {
  for (let n = child.parent; n; n = n.parent) if (n === ancestor) return true;
  return false;
};

/** XState's wildcard descriptor match (`*`, `a.*` for `a` and `a.b...`). */
export function matchesDescriptor(descriptor: string, type: string): boolean {
  if (descriptor === '*') return true;
  if (!descriptor.endsWith('.*')) return false;
  const pattern = descriptor.split('.');
  const tokens = type.split('.');
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '*') return i === pattern.length - 1;
    if (pattern[i] !== tokens[i]) return false;
  }
  return true;
}

/** Bounds the per-leaf cache of event types, so unexpected event types cannot grow it. */
const MAX_CACHED_TYPES = 256;

export function compileMachine(machine: AnyStateMachine): CompiledMachine {
  const behaviour = new BehaviourCompiler(machine);
  const root: StateNode = machine.root;
  checkNodes(root, behaviour);
  const leaves = new Map<string, Leaf>();

  const stepsOf = (actions: readonly unknown[], where: string) =>
    actions.map((a) => behaviour.step(a, where));

  const transitionOf = (leaf: Leaf, t: StateNode): Transition => {
    const source: StateNode = t.source;
    const where = `the transition on "${String(t.eventType)}" of #${source.id}`;
    const guard = behaviour.guard(t.guard, where);
    if (!t.target || t.target.length === 0)
      return { guard, steps: stepsOf(t.actions, where), to: null, definition: t };
    if (t.target.length !== 1) behaviour.refuse(where, 'several targets');
    const target: StateNode = t.target[0];
    if (target.type === 'history') behaviour.refuse(where, 'a history target');
    let domain: StateNode | undefined;
    if (!t.reenter && (target === source || isDescendant(target, source))) domain = source;
    else {
      for (let a = target.parent; a; a = a.parent)
        if (isDescendant(source, a)) {
          domain = a;
          break;
        }
      if (domain === undefined) {
        if (t.reenter) behaviour.refuse(where, 'reentering the root state');
        domain = root;
      }
    }
    const exits: StateNode[] = [];
    for (let at = leaf.chain[0]; at && at !== domain; at = at.parent) exits.push(at);
    const enters: StateNode[] = [];
    if (target !== domain)
      for (let at = target; at && at !== domain; at = at.parent) enters.unshift(at);
    const end = enterDefault(target, enters);
    const actions = [
      ...exits.flatMap((s) => s.exit),
      ...t.actions,
      ...enters.flatMap((s) => s.entry),
    ];
    return { guard, steps: stepsOf(actions, where), to: leafOf(end), definition: t };
  };

  const leafOf = (node: StateNode): Leaf => {
    const known = leaves.get(node.id);
    if (known) return known;
    const chain: StateNode[] = [];
    for (let at = node; at; at = at.parent) chain.push(at);
    const path: string[] = node.path;
    let value: unknown = path[path.length - 1];
    for (let i = path.length - 2; i >= 0; i--)
      value = Object.freeze({ [path[i] as string]: value });
    const done = node.type === 'final';
    const leaf: Leaf = {
      id: node.id,
      value,
      done,
      doneEvent: done ? { type: `xstate.done.state.${node.id}`, output: node.output } : undefined,
      exitOnDone: done
        ? stepsOf(
            chain.flatMap((s) => s.exit),
            `the final state #${node.id}`,
          )
        : [],
      always: [],
      chain,
      byType: new Map(),
    };
    leaves.set(node.id, leaf);
    (leaf as { always: readonly Transition[] }).always = chain.flatMap((s: StateNode) =>
      (s.always ?? []).map((t: StateNode) => transitionOf(leaf, t)),
    );
    return leaf;
  };

  // XState's StateNode.next: the leaf's candidates, then each ancestor's; at each node the
  // transitions of the exact descriptor, or else of its matching wildcards, longest first.
  const candidates = (leaf: Leaf, type: string): readonly Transition[] => {
    const hit = leaf.byType.get(type);
    if (hit) return hit;
    const out: Transition[] = [];
    for (const node of leaf.chain) {
      const transitions: Map<string, StateNode[]> = node.transitions;
      const exact = transitions.get(type);
      if (exact) {
        for (const t of exact) out.push(transitionOf(leaf, t));
        continue;
      }
      const wild = [...transitions.keys()]
        .filter((d) => matchesDescriptor(d, type))
        .sort((a, b) => b.length - a.length);
      for (const d of wild)
        for (const t of transitions.get(d) ?? []) out.push(transitionOf(leaf, t));
    }
    if (leaf.byType.size < MAX_CACHED_TYPES) leaf.byType.set(type, out);
    return out;
  };

  // The initial microstep enters the root and the initial chain below it.
  const enters: StateNode[] = [root];
  const initialNode = enterDefault(root, enters);
  const initialSteps = stepsOf(
    enters.flatMap((s) => s.entry),
    `the initial state of #${root.id}`,
  );
  // Every leaf and every descriptor a leaf knows is compiled now, so a refusal comes at
  // start-up and not with the first event that would take the transition.
  for (const node of allNodes(root)) {
    if (node.type !== 'atomic' && node.type !== 'final') continue;
    const leaf = leafOf(node);
    for (const s of leaf.chain) for (const d of s.transitions.keys()) candidates(leaf, d);
  }
  const maxIterations = (machine as { options?: { maxIterations?: number } }).options
    ?.maxIterations;
  return {
    machine,
    id: machine.id,
    initialSteps,
    initialLeaf: leafOf(initialNode),
    leaves,
    maxIterations: maxIterations ?? Number.POSITIVE_INFINITY,
    candidates,
  };
}

/** Descends from `node` along initial states to a leaf, appending what it enters. */
function enterDefault(node: StateNode, into: StateNode[]): StateNode {
  let at = node;
  while (at.type === 'compound') {
    at = at.initial.target[0];
    into.push(at);
  }
  return at;
}

function allNodes(node: StateNode): StateNode[] {
  return [node, ...Object.values(node.states ?? {}).flatMap((c) => allNodes(c))];
}

function checkNodes(root: StateNode, behaviour: BehaviourCompiler): void {
  for (const node of allNodes(root)) {
    const where = `the state #${node.id}`;
    if (node.type === 'parallel') behaviour.refuse(where, 'parallel states');
    if (node.type === 'history') behaviour.refuse(where, 'history states');
    if (node.invoke.length > 0) behaviour.refuse(where, 'invoked actors');
    if (node.type === 'final' && node.parent !== root)
      behaviour.refuse(where, 'a nested final state (done.state events)');
    if (node.type === 'compound' && (node.initial?.actions?.length ?? 0) > 0)
      behaviour.refuse(where, 'actions on its initial transition');
    if (node.type === 'compound' && node.initial?.target?.[0]?.type === 'history')
      behaviour.refuse(where, 'a history initial state');
  }
}
