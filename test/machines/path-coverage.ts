// Model-based path testing: @xstate/graph finds the shortest path to every reachable
// state; each path, extended by every event, is replayed on a live actor under a
// SimulatedClock. Delayed events are never sent: the clock is advanced to fire them.
// Coverage is counted against the machine's own state nodes and transition definitions,
// so a state or transition added later without a path fails the suite.
import { getShortestPaths, getStateNodes } from '@xstate/graph';
import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  createActor,
  type EventFrom,
  getNextSnapshot,
  type InputFrom,
  SimulatedClock,
  type SnapshotFrom,
} from 'xstate';

export interface PathModel<TMachine extends AnyStateMachine> {
  readonly machine: TMachine;
  readonly input: InputFrom<TMachine>;
  /** Events to try in a state; include every guard branch's variant. */
  readonly events: (snapshot: SnapshotFrom<TMachine>) => readonly EventFrom<TMachine>[];
  /** What makes two snapshots the same state for the model: value plus key context. */
  readonly serialize: (snapshot: SnapshotFrom<TMachine>) => string;
  /** Events that only the clock may deliver (delayed raises); `xstate.after.*` always are. */
  readonly timedEvents?: readonly string[];
}

export interface Coverage {
  readonly paths: number;
  readonly states: { readonly total: number; readonly missed: readonly string[] };
  readonly transitions: {
    readonly total: number;
    readonly missed: readonly string[];
    /** The missed transitions themselves (two may read the same, e.g. guarded branches). */
    readonly missedDefinitions: readonly unknown[];
  };
  readonly mismatches: readonly string[];
}

type AnyTransition = {
  eventType: string;
  source: { id: string };
  target?: readonly { id: string }[];
};

function allTransitions(machine: AnyStateMachine): AnyTransition[] {
  const nodes = [machine.root, ...getStateNodes(machine.root)];
  return nodes.flatMap((node) => [
    ...[...node.transitions.values()].flat(),
    ...(node.always ?? []),
  ]) as unknown as AnyTransition[];
}

const describeTransition = (t: AnyTransition) =>
  `${t.source.id} --${t.eventType || 'always'}--> ${t.target?.map((n) => n.id).join(',') ?? '(self)'}`;

/** Fire the clock's earliest timer, returning false when none is pending. */
function fireNextTimer(clock: SimulatedClock): boolean {
  const timeouts = (
    clock as unknown as { timeouts: Map<number, { start: number; timeout: number }> }
  ).timeouts;
  let due = Number.POSITIVE_INFINITY;
  for (const { start, timeout } of timeouts.values()) due = Math.min(due, start + timeout);
  if (!Number.isFinite(due)) return false;
  clock.set(Math.max(due, clock.now()));
  return true;
}

export function exploreMachine<TMachine extends AnyStateMachine>(
  model: PathModel<TMachine>,
): Coverage {
  const { machine } = model;
  const timed = new Set(model.timedEvents ?? []);
  const isTimed = (type: string) => type.startsWith('xstate.after.') || timed.has(type);
  const paths = getShortestPaths(machine, {
    input: model.input,
    events: model.events as never,
    serializeState: (snapshot) => model.serialize(snapshot as SnapshotFrom<TMachine>),
  });

  const transitions = allTransitions(machine);
  const taken = new Set<unknown>();
  const stateNodes = getStateNodes(machine.root);
  const visited = new Set<string>();
  const mismatches: string[] = [];
  let cases = 0;

  for (const path of paths) {
    const prefix = path.steps.map((step) => step.event).filter((e) => e.type !== 'xstate.init');
    const extensions = model.events(path.state as SnapshotFrom<TMachine>);
    for (const extra of [undefined, ...extensions]) {
      cases++;
      const clock = new SimulatedClock();
      const actor = createActor(machine, {
        input: model.input,
        clock,
        inspect: (ev) => {
          if (ev.type === '@xstate.microstep') {
            for (const t of (ev as unknown as { _transitions: unknown[] })._transitions)
              taken.add(t);
          }
        },
      });
      actor.start();
      const live = () => actor.getSnapshot() as AnyMachineSnapshot;
      const markVisited = () => {
        for (const node of stateNodes)
          if (live().matches(node.path.join('.') as never)) visited.add(node.id);
      };
      let expected = path.steps[0]?.state as SnapshotFrom<TMachine> | undefined;
      const events = extra ? [...prefix, extra] : prefix;
      events.forEach((event, i) => {
        clock.increment(1);
        const before = live();
        if (isTimed(event.type)) {
          // Only the clock delivers it, and only when the state can take it: then the
          // earliest timer is the one the model means.
          if (before.can(event) && !fireNextTimer(clock)) {
            mismatches.push(`no timer pending for ${event.type}`);
          }
        } else if (before.status === 'active') {
          actor.send(event);
        }
        const step = path.steps[i + 1];
        const next = (
          step && !(extra && i === events.length - 1)
            ? step.state
            : getNextSnapshot(machine, (expected ?? before) as never, event as never)
        ) as SnapshotFrom<TMachine>;
        expected = next;
        markVisited();
        const actual = model.serialize(live() as SnapshotFrom<TMachine>);
        const wanted = model.serialize(next);
        if (actual !== wanted) {
          const trail = events.map((e) => e.type).join(' > ');
          mismatches.push(`after ${trail}: live ${actual}, model ${wanted}`);
        }
      });
      markVisited();
      actor.stop();
    }
  }

  // Transient states (left by an eventless transition) never rest in a snapshot: a state
  // that was the source of a taken transition was active, too.
  for (const t of transitions) if (taken.has(t)) visited.add(t.source.id);

  return {
    paths: cases,
    states: {
      total: stateNodes.length,
      missed: stateNodes.filter((n) => !visited.has(n.id)).map((n) => n.id),
    },
    transitions: {
      total: transitions.length,
      missed: transitions.filter((t) => !taken.has(t)).map(describeTransition),
      missedDefinitions: transitions.filter((t) => !taken.has(t)),
    },
    mismatches,
  };
}
