// The context a handler receives: its signal, and the calls through which it reports
// progress, heartbeats and log lines while it runs.
import type { EventStream } from '../core/event-stream.js';
import type { HandlerContext } from './agent-declaration.js';
import type { Attempt } from './attempt.js';

export interface ContextSinks {
  readonly events: EventStream;
  now(): number;
  heartbeat(): void;
  progress(progress: number, note: string | undefined): void;
}

export function handlerContext(
  attempt: Attempt,
  idempotencyKey: string | undefined,
  sinks: ContextSinks,
): HandlerContext {
  // Calls from an attempt the task no longer waits for are dropped: a late progress report
  // must not move a task that has been retried elsewhere.
  const live = () => !attempt.aborted && !attempt.settled;
  return {
    taskId: attempt.taskId,
    agentId: attempt.agentId,
    attempt: attempt.number,
    idempotencyKey,
    get signal() {
      return attempt.signal;
    },
    progress(progress, note) {
      if (!live()) return;
      if (typeof progress !== 'number' || !Number.isFinite(progress)) {
        throw new TypeError(`ctx.progress expects a finite number, got ${String(progress)}`);
      }
      sinks.progress(Math.min(1, Math.max(0, progress)), note);
      sinks.heartbeat();
    },
    heartbeat() {
      if (live()) sinks.heartbeat();
    },
    log(message, fields) {
      if (!sinks.events.wants('task.log')) return;
      sinks.events.publish({
        type: 'task.log',
        taskId: attempt.taskId,
        attempt: attempt.number,
        at: sinks.now(),
        message,
        ...(fields === undefined ? {} : { fields }),
      });
    },
  };
}
