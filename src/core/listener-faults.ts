// What happens when a listener the user gave throws: the runtime called it in the middle of
// its own work (a task's end, a notice from the database), so the error must not unwind
// that work. Every call to a user's listener goes through `callListener`; what it throws
// becomes a ListenerFailed for `onListenerError`, or, without one, is logged and thrown
// again on a later turn of the event loop, where nothing of the runtime's is on the stack:
// an uncaught exception, as Node's own emitters and XState's subscribers give, loud but
// harmless to the system's state.
import { ListenerFailed } from '../errors/listener-failed.js';
import type { Logger } from '../observability/logger.js';

/** Takes a listener's error; what it throws in turn is thrown again on a later turn. */
export type ListenerErrorHandler = (error: ListenerFailed) => void;

/** Reports an error of the listener named `listener` (e.g. `system.on('task.completed')`). */
export type ListenerFaultReport = (listener: string, error: unknown) => void;

export function listenerFaults(
  onListenerError: ListenerErrorHandler | undefined,
  logger?: Logger,
): ListenerFaultReport {
  return (listener, error) => {
    const failed = new ListenerFailed(listener, error);
    if (onListenerError) {
      try {
        onListenerError(failed);
        return;
      } catch (again) {
        throwLater(again);
        return;
      }
    }
    try {
      logger?.error({ err: failed.message, listener }, 'a listener threw');
    } catch {
      // The logger is user code too (and may be what threw): the error is thrown below.
    }
    throwLater(failed);
  };
}

/** Calls `fn(arg)`; what it throws goes to `report`, never to the caller. */
export function callListener<T>(
  fn: (arg: T) => void,
  arg: T,
  listener: string,
  report: ListenerFaultReport,
): void {
  try {
    fn(arg);
  } catch (error) {
    report(listener, error);
  }
}

function throwLater(error: unknown): void {
  setImmediate(() => {
    throw error;
  });
}
