// Rebuilding a system from its store when it starts: finished tasks stay finished (their
// ids and idempotency keys taken, never run again); tasks that were waiting are queued
// again in submission order; a task that was running when the process died is replayed
// through its machine as started on its old agent, whose lease holds until it expires;
// then that agent is reported lost and the machine decides between a retry and a failure
// (at-least-once).
import { isTerminal } from '../../machines/task-states.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { Store } from '../store/store.js';
import { announceSubmitted } from '../tasks/task-announcements.js';
import type { TaskBook } from '../tasks/task-book.js';
import type { TaskIntake } from '../tasks/task-intake.js';
import type { TaskLifecycle } from '../tasks/task-lifecycle.js';
import type { NormalizedTask } from '../tasks/task-spec.js';

export interface Recovered {
  readonly finished: number;
  readonly requeued: number;
  /** Running when the process died: replayed as lost once their lease expires. */
  readonly lost: number;
}

export interface RecoveryTarget {
  readonly clock: SystemClock;
  readonly events: EventStream;
  readonly book: TaskBook;
  readonly lifecycle: TaskLifecycle;
  readonly intake: TaskIntake;
}

export function recover(store: Store, target: RecoveryTarget): Recovered {
  const { clock, book, lifecycle, intake, events } = target;
  const now = clock.now();
  const counts = { finished: 0, requeued: 0, lost: 0 };
  for (const stored of store.load(now).tasks) {
    // The output schema is code, not data: a restored task's output is not checked again.
    // (A spec read back from a durable store has none: it is kept as read, not copied.)
    const spec = stored.spec as NormalizedTask;
    const task = spec.outputSchema === undefined ? spec : { ...spec, outputSchema: undefined };
    const running = stored.state === 'running';
    const record = intake.restore(task, stored.submittedAt, {
      // A lost attempt is started again by its replay, which counts it.
      attempts: running ? Math.max(0, stored.attempt - 1) : stored.attempt,
      output: stored.output,
      error: stored.error,
      finishedAt: stored.finishedAt,
    });
    if (isTerminal(stored.state)) {
      book.restore(record, stored.state);
      counts.finished++;
    } else if (running) {
      // The agent of a run that is gone: its lease owner (`agent@run`), never a live agent's id.
      const owner = stored.lease?.owner ?? `${stored.agentId ?? 'unknown'}@lost`;
      // Replayed through the machine as assigned to and started on its old agent, whose
      // lease holds until `leaseUntil`; the dispatcher reports that agent lost once the
      // lease ends, and the machine decides.
      const admitted = book.admit(record, 0);
      admitted.leaseUntil = stored.lease?.until ?? now;
      announceSubmitted(events, admitted);
      lifecycle.assign(admitted, owner, lifecycle.rootLane);
      counts.lost++;
    } else {
      lifecycle.register(record);
      counts.requeued++;
    }
  }
  return counts;
}
