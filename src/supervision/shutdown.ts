// Shutdown is the supervisors': the root supervisor is sent `drain`, stops its children one
// at a time in reverse start order, each within its shutdownTimeoutMs (machines/supervisor.ts),
// and reaches its final state. `stop` is the brutal end of OTP: every child still running
// is stopped at once.
import type { AnyActorRef } from 'xstate';

/** Resolves once the supervisor's actor reached a final state (or was stopped). */
export function supervisorEnded(root: AnyActorRef): Promise<void> {
  return new Promise((resolve) => {
    if (root.getSnapshot().status !== 'active') return resolve();
    const subscription = root.subscribe({
      complete: () => {
        subscription.unsubscribe();
        resolve();
      },
      error: () => resolve(),
    });
  });
}

/** Asks the supervisor to shut its children down in order; resolves when it has. */
export function drainSupervisor(root: AnyActorRef): Promise<void> {
  if (root.getSnapshot().status === 'active') root.send({ type: 'drain' });
  return supervisorEnded(root);
}

/** Stops every child still running, at once. */
export function stopSupervisor(root: AnyActorRef): void {
  if (root.getSnapshot().status === 'active') root.send({ type: 'stop' });
}
