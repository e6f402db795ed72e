// A machine run as the child of an XState callback actor, either as a real XState child
// or as a CompiledActor linked under the same kind of parent, on one SimulatedClock: what
// the parent receives, what an inspector on the parent's system sees, what timers remain.
import {
  type AnyEventObject,
  type AnyStateMachine,
  createActor,
  fromCallback,
  type InspectionEvent,
  SimulatedClock,
} from 'xstate';
import { CompiledActor } from '../../src/compiled/compiled-actor.js';
import { compileMachine } from '../../src/compiled/compiled-machine.js';
import { type PendingTimer, scheduledBy } from './differential-sides.js';

export type Kind = 'xstate' | 'compiled';
export const KINDS: readonly Kind[] = ['xstate', 'compiled'];

export interface Parented {
  readonly child: {
    start(): unknown;
    send(event: AnyEventObject): void;
    getSnapshot(): { value: unknown; status: string; error: unknown; output: unknown };
  };
  readonly parent: ReturnType<typeof createActor>;
  readonly clock: SimulatedClock;
  /** Events the parent received from its child. */
  readonly received: AnyEventObject[];
  /** Inspection events from the child's creation on (only with `inspect`). */
  readonly inspection: InspectionEvent[];
  pending(): PendingTimer[];
}

export function parented(
  kind: Kind,
  machine: AnyStateMachine,
  options: {
    readonly id: string;
    readonly input?: unknown;
    /** The parent's system has an inspector. */
    readonly inspect?: boolean;
    /** The compiled child is told so (as `inspect` unless given). */
    readonly inspected?: boolean;
  },
): Parented {
  const clock = new SimulatedClock();
  const received: AnyEventObject[] = [];
  const inspection: InspectionEvent[] = [];
  let recording = false;
  const parent = createActor(
    fromCallback<AnyEventObject>(({ receive }) => {
      receive((event) => received.push(event));
    }),
    {
      clock,
      ...(options.inspect
        ? { inspect: (e: InspectionEvent) => recording && inspection.push(e) }
        : {}),
    },
  ).start();
  recording = true;
  const { id, input } = options;
  if (kind === 'xstate') {
    const child = createActor(machine, { parent, id, input });
    return { child, parent, clock, received, inspection, pending: () => scheduledBy(child) };
  }
  const child = new CompiledActor(compileMachine(machine), {
    id,
    input,
    clock,
    parent,
    inspected: options.inspected ?? options.inspect ?? false,
  });
  const pending = () =>
    child.pendingTimers().map((t) => ({ id: t.id, type: t.event.type, delay: t.delay }));
  return { child, parent, clock, received, inspection, pending };
}
