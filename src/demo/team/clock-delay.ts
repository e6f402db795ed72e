// Waiting on the system's clock (simulated in the demo), cut short by an abort signal.
import type { SystemClock } from '../../core/clock.js';

/** Resolves after `ms` of `clock` time; rejects with the signal's reason when it aborts first. */
export function clockDelay(clock: SystemClock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(id);
      reject(signal.reason);
    };
    const id = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
