// Writes a system's task lifecycle to its store, ahead of what depends on it: a submission
// is written before `submit` resolves, a running attempt claims a lease (who runs it, until
// when: the pattern's LockedBy and CompleteBy), and a task's end is durable before its
// final event is published or its result settles. A system without a store has no journal
// and pays nothing for it.
//
// With `startWriteDelayMs`, a start (its record and its lease) is written that much later,
// or with whatever the task writes next (its end, a retry), whichever comes first: a task
// that ends within it writes its start and its end together, one write of its row instead
// of two and no lease made and dropped. A crash before a start is written runs the attempt
// again without counting it.

import type { TaskError } from '../../machines/task-error.js';
import { STATE_AFTER } from '../../machines/task-states.js';
import type { TaskEmitted } from '../../machines/task-types.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { StoredTaskSpec } from '../store/store-records.js';
import type { TaskEnd } from '../tasks/task-announcements.js';
import type { TaskRecord } from '../tasks/task-record.js';

export interface JournalOptions {
  readonly store: Store;
  readonly events: EventStream;
  /** This process's incarnation, so a lease of a previous run is never taken for ours. */
  readonly runId: string;
  /** How long a running attempt's lease lasts past its start, in ms. */
  readonly leaseMs: number;
  /** How long a start waits to be written, in ms of `clock` (0: written at once). */
  readonly startWriteDelayMs?: number;
  readonly clock?: SystemClock;
  readonly logger: Logger;
}

/** The lease owner of an agent in a run: `agent@run`. */
export const leaseOwner = (agentId: string, runId: string) => `${agentId}@${runId}`;

type Started = Extract<TaskEmitted, { type: 'task.started' }>;

export class TaskJournal {
  /** Lease owners by task, to release a lease when its attempt ends without the task ending. */
  readonly #owners = new Map<string, string>();
  /** Starts not written yet (startWriteDelayMs): each one's event and its timer, by task. */
  readonly #starts = new Map<string, { readonly started: Started; readonly timer: unknown }>();

  constructor(private readonly o: JournalOptions) {
    const { events, store, startWriteDelayMs = 0, clock } = o;
    events.on('task.started', (e) => {
      if (startWriteDelayMs <= 0 || !clock) {
        this.#writeStart(e);
        return;
      }
      this.#startNow(e.taskId); // an earlier attempt's, should one still wait
      const timer = clock.setTimeout(() => this.#startNow(e.taskId), startWriteDelayMs);
      this.#starts.set(e.taskId, { started: e, timer });
    });
    // A shutdown stopped the attempt: the task waits again, the attempt not counted, so a
    // restart on this store runs it again rather than replaying it as lost.
    events.on('task.interrupted', (e) =>
      this.#write(`task ${e.taskId} was interrupted by a shutdown`, e, () => {
        this.#startNow(e.taskId);
        store.appendTask({
          kind: 'task.transition',
          taskId: e.taskId,
          // Interrupted, the machine enters `ready` next (its task.ready follows).
          state: STATE_AFTER['task.ready'],
          attempt: e.attempt,
          at: e.at,
        });
        this.#release(e.taskId);
      }),
    );
    events.on('task.retrying', (e) =>
      this.#write(`task ${e.taskId} attempt ${e.attempt} retrying`, e, () => {
        this.#startNow(e.taskId);
        store.appendTask({
          kind: 'task.transition',
          taskId: e.taskId,
          state: STATE_AFTER['task.retrying'],
          attempt: e.attempt,
          retryAt: e.retryAt,
          error: e.error,
          at: e.at,
        });
        this.#release(e.taskId);
      }),
    );
  }

  /** An attempt's start: its record, and its lease (who runs it, until when). */
  #writeStart(e: Started): void {
    const { store, runId, leaseMs } = this.o;
    const owner = leaseOwner(e.agentId, runId);
    this.#write(`task ${e.taskId} attempt ${e.attempt} started`, e, () => {
      store.appendTask({
        kind: 'task.transition',
        taskId: e.taskId,
        state: STATE_AFTER['task.started'],
        attempt: e.attempt,
        agentId: e.agentId,
        at: e.at,
      });
      const claim = store.claimLease({
        taskId: e.taskId,
        owner,
        attempt: e.attempt,
        now: e.at,
        until: e.at + leaseMs,
      });
      if (claim.ok) this.#owners.set(e.taskId, owner);
    });
  }

  /** Writes the task's start now if it waits (startWriteDelayMs). */
  #startNow(taskId: string): void {
    const start = this.#starts.get(taskId);
    if (!start) return;
    this.#starts.delete(taskId);
    this.o.clock?.clearTimeout(start.timer);
    this.#writeStart(start.started);
  }

  /** Writes every start that waits: before the store's last flush, when the system stops. */
  writeStarts(): void {
    for (const taskId of [...this.#starts.keys()]) this.#startNow(taskId);
  }

  #release(taskId: string): void {
    const owner = this.#owners.get(taskId);
    if (owner !== undefined) this.o.store.releaseLease(taskId, owner);
    this.#owners.delete(taskId);
  }

  /** The agent is alive: its running attempts' leases last another `leaseMs` from `now`. */
  renew(agentId: string, taskIds: Iterable<string>, now: number): void {
    const owner = leaseOwner(agentId, this.o.runId);
    for (const taskId of taskIds) {
      // A start not written yet has no lease to renew: it claims one when it is written.
      if (this.#owners.get(taskId) !== owner) continue;
      this.#write(`the lease on task ${taskId} was renewed`, { taskId, at: now }, () => {
        this.o.store.renewLease({ taskId, owner, now, until: now + this.o.leaseMs });
      });
    }
  }

  /**
   * A lifecycle write that failed must not break the run: the task goes on (a lost start or
   * retry record only means a restart runs the attempt again), and the failure is an event.
   */
  #write(what: string, about: { taskId: string; at: number }, write: () => void): void {
    try {
      write();
    } catch (error) {
      this.#failed(`could not record that ${what}`, about, error);
    }
  }

  #failed(what: string, about: { taskId: string; at: number }, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.o.logger.error({ err: message }, `store: ${what}`);
    const { taskId, at } = about;
    this.o.events.publish({ type: 'store.write.failed', taskId, at, what, error: message });
  }

  /** Writes new submissions; resolves once they are durable. */
  submitted(records: readonly Pick<TaskRecord, 'task' | 'submittedAt'>[]): Promise<void> {
    for (const record of records) {
      const { outputSchema: _, ...spec } = record.task;
      this.o.store.appendTask({
        kind: 'task.submitted',
        taskId: record.task.id,
        spec: spec as StoredTaskSpec,
        at: record.submittedAt,
      });
    }
    return this.o.store.flush();
  }

  /** Why the store could not hold `output` as the task's result, or undefined when it can. */
  refusesOutput(taskId: string, output: unknown): TaskError | undefined {
    try {
      this.o.store.checkOutput?.(taskId, output);
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'invalid-output', code: 'InvalidStoreRecord', message };
    }
  }

  /** Writes the end a task's machine emitted; resolves once it is durable. */
  finished(record: TaskRecord, end: TaskEnd): Promise<void> {
    this.#startNow(record.task.id);
    this.#owners.delete(record.task.id);
    const base = { taskId: end.taskId, attempt: end.attempt, agentId: record.agentId, at: end.at };
    try {
      if (end.type === 'task.completed')
        this.o.store.appendTask({ ...base, kind: 'task.completed', output: end.output });
      else if (end.type === 'task.cancelled')
        this.o.store.appendTask({ ...base, kind: 'task.cancelled', reason: end.reason });
      else this.o.store.appendTask({ ...base, kind: 'task.failed', error: end.error });
    } catch (cause) {
      this.#failed(`could not record the end of task ${end.taskId}`, end, cause);
      return Promise.reject(cause);
    }
    return this.o.store.flush().catch((cause: unknown) => {
      this.#failed(`could not make the end of task ${end.taskId} durable`, end, cause);
      throw cause;
    });
  }
}
