import { OverseerError } from './overseer-error.js';

/**
 * A listener the user gave (`system.on`, `onLatency`, a team run's `subscribe`, a cluster
 * client's `onEnded`) threw. The runtime went on as if it had returned: what it was doing
 * when it called the listener was finished first. `listener` names which one, `cause` is
 * what it threw.
 */
export class ListenerFailed extends OverseerError {
  readonly code = 'ListenerFailed';
  constructor(
    readonly listener: string,
    cause: unknown,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(
      `a listener of ${listener} threw: ${message}; the system went on without it (give onListenerError to handle it)`,
      { cause },
    );
  }
}
