// Rebuilding a system from its store when it starts: finished tasks stay finished (their
// ids and idempotency keys taken, never run again); tasks that were waiting are queued
// again in submission order; a task that was running when the process died has lost its
// agent, and once its lease expires that attempt is replayed through the task machine as
// lost, so the machine decides between a retry and a failure (at-least-once).
import type { Store } from '../store/store.js';
import type { StoredTask } from '../store/stored-task.js';
import type { Runtime } from '../system/runtime.js';
import type { TaskIntake } from '../tasks/task-intake.js';
import { isTerminal, type TaskRecord } from '../tasks/task-record.js';
import type { NormalizedTask } from '../tasks/task-spec.js';

export interface Recovered {
  readonly finished: number;
  readonly requeued: number;
  /** Running when the process died: replayed as lost once their lease expires. */
  readonly lost: number;
}

export function recover(rt: Runtime, store: Store, intake: TaskIntake): Recovered {
  const now = rt.clock.now();
  const counts = { finished: 0, requeued: 0, lost: 0 };
  for (const stored of store.load(now).tasks) {
    // The output schema is code, not data: a restored task's output is not checked again.
    const task = { ...stored.spec, outputSchema: undefined } as NormalizedTask;
    const running = stored.state === 'running';
    const record = intake.restore(task, stored.submittedAt, {
      state: isTerminal(stored.state) ? stored.state : 'ready',
      // A lost attempt is started again by its replay, which counts it.
      attempts: running ? Math.max(0, stored.attempt - 1) : stored.attempt,
      output: stored.output,
      error: stored.error,
      finishedAt: stored.finishedAt,
    });
    if (isTerminal(stored.state)) {
      rt.tasks.restoreFinished(record);
      counts.finished++;
    } else if (running) {
      replayWhenLeaseEnds(rt, stored, record, now);
      counts.lost++;
    } else {
      rt.tasks.register(record);
      counts.requeued++;
    }
  }
  return counts;
}

function replayWhenLeaseEnds(rt: Runtime, stored: StoredTask, record: TaskRecord, now: number) {
  // The agent of a run that is gone: its lease owner (`agent@run`), never a live agent's id.
  const agentId = stored.lease?.owner ?? `${stored.agentId ?? 'unknown'}@lost`;
  const until = stored.lease?.until ?? now;
  if (until <= now) {
    rt.tasks.replayLostAttempt(record, agentId);
    return;
  }
  rt.tasks.holdUntilReplay(record);
  rt.clock.setTimeout(() => {
    if (rt.phase !== 'stopped') rt.tasks.replayLostAttempt(record, agentId);
  }, until - now);
}
