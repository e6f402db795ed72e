// The parent a task's actor links to: a small callback actor standing under an agent (or
// under the root supervisor, for tasks no agent holds yet). The inspector draws the tree
// agent → tasks → task:<id>, while the agent's machine never receives a task's exit: XState
// names a child's done and error events after the child (`xstate.done.actor.task:<id>`),
// and a machine memoizes its transitions per event type forever, so a long-lived agent
// machine receiving one event type per task would grow with every task it ever ran. The
// lane is not a machine: it reports a task actor's crash as a plain call and drops the rest.
import { type AnyActorRef, createActor, fromCallback } from 'xstate';

export type TaskLane = AnyActorRef;

const ERROR_PREFIX = 'xstate.error.actor.';

/** A lane under `parent`; `onCrash` hears of task actors that failed with an error. */
export function taskLane(
  parent: AnyActorRef,
  onCrash: (actorId: string, message: string) => void,
): TaskLane {
  const logic = fromCallback<{ type: string; error?: unknown }>(({ receive }) => {
    receive((event) => {
      if (!event.type.startsWith(ERROR_PREFIX)) return;
      const error = event.error;
      onCrash(
        event.type.slice(ERROR_PREFIX.length),
        error instanceof Error ? error.message : String(error),
      );
    });
  });
  return createActor(logic, { parent, id: 'tasks' }).start();
}
