// Runs a user's XState actor logic as a task's work: one actor per attempt, linked to the
// task's actor so the inspector shows it in the tree; its output is the task's output.
// Its id is the same for every task (`work`): the task machine hears the child's done
// event, whose type carries the id, and a machine caches transitions per event type.
import { type AnyActorLogic, type AnyActorRef, createActor } from 'xstate';

export function runLogic(
  logic: AnyActorLogic,
  input: unknown,
  signal: AbortSignal,
  parent: AnyActorRef,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const actor = createActor(logic, { input, parent, id: 'work' });
    actor.subscribe({
      complete: () => resolve(actor.getSnapshot().output),
      error: reject,
    });
    signal.addEventListener('abort', () => {
      actor.stop();
      reject(signal.reason);
    });
    actor.start();
  });
}
