// The supervisor machine's guards (machines/supervisor.ts): the questions its transitions
// ask of its children's specs, the live and retiring children and the exiting one, as pure
// functions.
import { exitOf, isChildExit } from './child-exit.js';
import { shouldRestart } from './child-spec.js';
import { exceedsIntensity } from './restart-intensity.js';
import type { SupervisorContext, SupervisorEvent } from './supervisor-types.js';

type Args = { readonly context: SupervisorContext; readonly event: SupervisorEvent };

export const specOf = (context: SupervisorContext, id: string) =>
  context.children.find((spec) => spec.id === id);

/** The child an exit event is about ('' for any other event). */
export const exitingChild = (event: SupervisorEvent) => (isChildExit(event) ? event.actorId : '');

export const supervisorGuards = {
  isLiveChild: ({ context, event }: Args) => context.live.includes(exitingChild(event)),
  exitNeedsNoRestart: ({ context, event }: Args) => {
    const spec = specOf(context, exitingChild(event));
    return !spec || !isChildExit(event) || !shouldRestart(spec.restart, exitOf(event));
  },
  intensityExceeded: ({ context }: Args) =>
    exceedsIntensity(context.intensity, context.recentRestarts.length),
  hasRecentRestarts: ({ context }: Args) => context.recentRestarts.length > 0,
  isNewChild: ({ context, event }: Args) =>
    event.type === 'child.add' && !specOf(context, event.spec.id),
  isKnownChild: ({ context, event }: Args) =>
    event.type === 'child.remove' && specOf(context, event.childId) !== undefined,
  isDrainableChild: ({ context, event }: Args) =>
    event.type === 'child.drain' &&
    context.live.includes(event.childId) &&
    !context.retiring.includes(event.childId),
  isRetiringChild: ({ context, event }: Args) => context.retiring.includes(exitingChild(event)),
  noLiveChildren: ({ context }: Args) => context.live.length === 0,
  isShuttingDownChild: ({ context, event }: Args) =>
    context.shutdownQueue[0] === exitingChild(event),
};
