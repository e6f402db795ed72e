// On the real clock, the process stays alive while tasks are unfinished (keep-alive.ts):
// re-checked as each task ends, so the last end lets the process go.
import { realClock, type SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { KeepAlive } from './keep-alive.js';

export function keepAliveUntilDone(
  clock: SystemClock,
  events: EventStream,
  keepAlive: KeepAlive,
  busy: () => boolean,
): void {
  if (clock !== realClock) return;
  const settle = () => keepAlive.update(busy());
  for (const type of ['task.completed', 'task.failed', 'task.cancelled'] as const)
    events.on(type, settle);
}
