// The end of a system's `stop()`: the drain given at most its time on the system clock,
// then everything still running stopped, every unfinished task left as it is (a restart on
// the same store runs it), the store flushed and the event stream ended.
import type { AnyActorRef } from 'xstate';
import type { SystemClock } from '../core/clock.js';
import type { Store } from '../store/store.js';
import { stopSupervisor } from '../supervision/shutdown.js';
import type { SystemParts } from './compose-system.js';

/** Waits for `drained`, or `timeoutMs` of the system clock, whichever comes first. */
export async function drainWithin(
  drained: Promise<void>,
  clock: SystemClock,
  timeoutMs: number,
): Promise<void> {
  let timer: unknown;
  const timeout = new Promise<void>((resolve) => {
    timer = clock.setTimeout(() => resolve(), timeoutMs);
  });
  await Promise.race([drained, timeout]);
  clock.clearTimeout(timer);
}

/** Stops what still runs and closes the system's parts, in that order. */
export async function tearDown(
  p: SystemParts,
  root: AnyActorRef | undefined,
  store: Store | undefined,
): Promise<void> {
  p.dispatcher.pause();
  if (root) stopSupervisor(root);
  p.endTraces?.();
  p.agents.markSubtreeLost('', 'system stopped', 'shutdown');
  p.lifecycle.stopAll();
  p.qos?.stop();
  p.limits?.stop();
  p.ownership?.release();
  await p.link?.close();
  p.journal?.writeStarts(); // starts still waiting to be written (startWriteDelayMs)
  await store?.flush();
  p.events.end();
}
