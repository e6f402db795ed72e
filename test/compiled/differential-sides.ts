// The two sides of a differential run: one machine run by a real XState actor and by a
// CompiledActor, each on its own SimulatedClock, each watched the same way (emitted events,
// snapshots its observers saw, delayed events pending) so the runner can compare what any
// caller of the actor surface could see.
import {
  type AnyActorRef,
  type AnyEventObject,
  type AnyStateMachine,
  createActor,
  SimulatedClock,
} from 'xstate';
import { CompiledActor } from '../../src/compiled/compiled-actor.js';
import { compileMachine } from '../../src/compiled/compiled-machine.js';

/** What a caller can see of an actor at one moment. */
export interface Observation {
  readonly value: unknown;
  readonly context: unknown;
  readonly status: string;
  readonly output: unknown;
  readonly error: unknown;
  /** Every event emitted so far, in order. */
  readonly emitted: readonly unknown[];
  /** Delayed events pending, sorted by id. */
  readonly timers: readonly PendingTimer[];
  /** The value and status of every snapshot a subscriber was handed, in order. */
  readonly observed: readonly (readonly [unknown, string])[];
  /** Types of the events that reached the actor after it stopped (each one warned about). */
  readonly afterStop: readonly string[];
}

export interface PendingTimer {
  readonly id: string;
  readonly type: string;
  readonly delay: number;
}

/** Lets a test react to an emitted event the same way on both sides (say, send from it). */
export type Reaction = (event: AnyEventObject, send: (event: AnyEventObject) => void) => void;

export interface Side {
  start(): void;
  send(event: AnyEventObject): void;
  advance(ms: number): void;
  observe(): Observation;
  /** Whether the actor still takes events (sending to a stopped actor only warns). */
  active(): boolean;
  stop(): void;
}

interface Watched {
  readonly emitted: unknown[];
  readonly observed: (readonly [unknown, string])[];
  readonly afterStop: string[];
}

const STOPPED = /^Event "(.*)" was sent to stopped actor/;

/**
 * Runs `fn` on one side, taking the development builds' warning about an event sent to a
 * stopped actor (XState's and the compiled actor's) as something to compare, not to print:
 * a delayed event may outlive its actor on both sides alike.
 */
function attributed(watched: Watched, fn: () => void): void {
  const previous = console.warn;
  console.warn = (...args: unknown[]) => {
    const stopped = STOPPED.exec(String(args[0]));
    if (stopped) watched.afterStop.push(stopped[1] as string);
    else previous.apply(console, args);
  };
  try {
    fn();
  } finally {
    console.warn = previous;
  }
}

interface Watchable {
  on(type: string, handler: (event: AnyEventObject) => void): unknown;
  subscribe(observer: {
    next(snapshot: { value: unknown; status: string }): void;
    error(error: unknown): void;
  }): unknown;
}

/** Listens to emitted events and snapshots; an error observer keeps failures handled. */
function watch(actor: Watchable, send: (event: AnyEventObject) => void, react?: Reaction) {
  const watched: Watched = { emitted: [], observed: [], afterStop: [] };
  actor.on('*', (event) => {
    watched.emitted.push(event);
    react?.(event, send);
  });
  actor.subscribe({
    next: (snapshot) => watched.observed.push([snapshot.value, snapshot.status]),
    error: () => {},
  });
  return watched;
}

const byId = (a: PendingTimer, b: PendingTimer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function observation(
  snapshot: { value: unknown; context: unknown; status: string; output: unknown; error: unknown },
  watched: Watched,
  timers: PendingTimer[],
): Observation {
  return {
    value: snapshot.value,
    context: snapshot.context,
    status: snapshot.status,
    output: snapshot.output,
    error: snapshot.error,
    emitted: [...watched.emitted],
    timers: timers.sort(byId),
    observed: [...watched.observed],
    afterStop: [...watched.afterStop],
  };
}

interface ScheduledEvent {
  readonly id: string;
  readonly source: unknown;
  readonly event: AnyEventObject;
  readonly delay: number;
}

/** The delayed events XState's system holds for `actor` (xstate 5.33: in its snapshot). */
export function scheduledBy(actor: AnyActorRef): PendingTimer[] {
  const { _scheduledEvents } = actor.system.getSnapshot() as unknown as {
    _scheduledEvents: Record<string, ScheduledEvent>;
  };
  // Keyed `${sessionId}.${id}`: compared by the event's own id, type and delay.
  return Object.values(_scheduledEvents)
    .filter((s) => s.source === actor)
    .map((s) => ({ id: s.id, type: s.event.type, delay: s.delay }));
}

/** What both sides share: an actor on its own simulated clock, watched and driven alike. */
interface Driven {
  start(): unknown;
  send(event: AnyEventObject): void;
  getSnapshot(): Parameters<typeof observation>[0];
  stop(): unknown;
}

function sideOf(
  actor: Driven,
  clock: SimulatedClock,
  timers: () => PendingTimer[],
  react: Reaction | undefined,
): Side {
  const watched = watch(actor as unknown as Watchable, (e) => actor.send(e), react);
  return {
    start: () => attributed(watched, () => actor.start()),
    send: (event) => attributed(watched, () => actor.send(event)),
    advance: (ms) => attributed(watched, () => clock.increment(ms)),
    observe: () => observation(actor.getSnapshot(), watched, timers()),
    active: () => actor.getSnapshot().status === 'active',
    stop: () => void actor.stop(),
  };
}

export function xstateSide(
  machine: AnyStateMachine,
  input: unknown,
  id: string,
  react?: Reaction,
): Side {
  const clock = new SimulatedClock();
  const actor = createActor(machine, { input, clock, id });
  return sideOf(actor as unknown as Driven, clock, () => scheduledBy(actor), react);
}

export function compiledSide(
  machine: AnyStateMachine,
  input: unknown,
  id: string,
  react?: Reaction,
): Side {
  const clock = new SimulatedClock();
  const actor = new CompiledActor(compileMachine(machine), { id, input, clock });
  const pending = () =>
    actor.pendingTimers().map((t) => ({ id: t.id, type: t.event.type, delay: t.delay }));
  return sideOf(actor as unknown as Driven, clock, pending, react);
}
