// Drives each task through its machine: delivers the runtime's events to the task's actor
// (created when the machine first has work to do), applies what the machine emits to the
// task's record through the task book, forwards those events to subscribers, and carries
// out the consequences that are not placement: dependencies, deadlines, durability and
// results. Placement (queueing, agents) listens through `onMoved`: the dispatcher.
import type { TaskEmitted, TaskEvent } from '../../machines/task.js';
import type { TaskError } from '../../machines/task-error.js';
import {
  isTerminal,
  STATE_AFTER,
  type TaskState,
  taskStateOf,
} from '../../machines/task-states.js';
import type { Attempt } from '../agents/attempt.js';
import type { InspectionSink } from '../compiled/actor-inspection.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { TaskJournal } from '../durability/task-journal.js';
import { SystemNotRunning } from '../errors/index.js';
import { linkDependencies, notifyDependent } from './dependency-links.js';
import { type TaskActor, taskActor, taskLogic } from './task-actors.js';
import {
  announceSubmitted,
  forwardEnd,
  forwardProgress,
  type TaskEnd,
} from './task-announcements.js';
import type { TaskBook } from './task-book.js';
import type { TaskLane } from './task-lane.js';
import type { CancelOutcome, NewTaskRecord, TaskRecord } from './task-record.js';

export interface LifecycleSettings {
  readonly book: TaskBook;
  readonly events: EventStream;
  readonly clock: SystemClock;
  readonly random: () => number;
  readonly journal: TaskJournal | undefined;
  /** Aborts a running attempt's handler when its machine moves on (timeout, cancel...). */
  abortAttempt(attempt: Attempt, reason: Error): void;
}

/**
 * Hears every move of a task's machine, with the record's state and agent just before the
 * move was applied (undefined both: the machine's first step).
 */
export type MoveListener = (
  record: TaskRecord,
  event: TaskEmitted,
  before: TaskState | undefined,
  beforeAgentId: string | undefined,
) => void;

export class TaskLifecycle {
  readonly #s: LifecycleSettings;
  readonly #logic;
  /** The lane of tasks no agent holds (blocked, cancelled or past their deadline in the queue). */
  rootLane: TaskLane | undefined;
  /** Where task actors report inspection events, once the system started with an inspector. */
  inspection: InspectionSink | undefined;
  onMoved: MoveListener = () => undefined;
  #stopped = false;

  constructor(settings: LifecycleSettings) {
    this.#s = settings;
    this.#logic = taskLogic(
      (taskId) => settings.book.get(taskId)?.attempt,
      (attempt, reason) => settings.abortAttempt(attempt, reason),
    );
  }

  /** A validated, admitted task enters the system. Its dependencies are known ids. */
  register(fresh: NewTaskRecord): void {
    const { book, clock, events } = this.#s;
    const unmet = linkDependencies(book.records, fresh);
    const record = book.admit(fresh, unmet.length);
    const { state } = record;
    announceSubmitted(events, record);
    const { deadline } = record.task;
    if (deadline !== undefined)
      record.deadlineTimer = clock.setTimeout(() => this.#deadline(record), deadline - clock.now());
    if (state === 'ready') {
      // The machine's first step, taken for a task that has no actor yet: entering `ready`.
      const first = {
        type: 'task.ready',
        taskId: record.task.id,
        attempt: 0,
        at: record.submittedAt,
      } as const;
      this.#emitted(record, first, true);
      return;
    }
    this.#materialize(record, this.rootLane, unmet);
    for (const id of unmet) {
      const dependency = book.get(id);
      if (dependency && isTerminal(dependency.state))
        notifyDependent(book.records, record.task.id, dependency, clock.now());
    }
  }

  /**
   * The dispatcher placed the task on agent `agentId`. Returns whether the machine took the
   * assignment at once (it is busy otherwise, and takes it in turn).
   */
  assign(record: TaskRecord, agentId: string, lane: TaskLane | undefined): boolean {
    const actor = record.actor ?? this.#materialize(record, lane, []);
    actor.send({ type: 'assign', agentId, at: this.#s.clock.now() });
    const state = taskStateOf(actor.value);
    return state !== 'blocked' && state !== 'ready' && state !== 'retrying';
  }

  start(record: TaskRecord): void {
    record.actor?.send({ type: 'start', at: this.#s.clock.now() });
  }

  progress(attempt: Attempt, progress: number, note: string | undefined): void {
    const record = this.#current(attempt);
    if (!record?.actor) return;
    const at = this.#s.clock.now();
    record.progress = progress;
    record.actor.send({ type: 'progress', progress, ...(note === undefined ? {} : { note }), at });
    forwardProgress(this.#s.events, attempt, progress, note, at);
  }

  /** The attempt's output; one the store cannot hold is a failure, never a completion. */
  complete(attempt: Attempt, output: unknown): void {
    const actor = this.#current(attempt)?.actor;
    if (!actor) return;
    const at = this.#s.clock.now();
    const refused = this.#s.journal?.refusesOutput(attempt.taskId, output);
    if (refused) actor.send({ type: 'fail', error: refused, retryable: false, at });
    else actor.send({ type: 'complete', output, at });
  }

  fail(attempt: Attempt, error: TaskError, retryable: boolean): void {
    const at = this.#s.clock.now();
    this.#current(attempt)?.actor?.send({ type: 'fail', error, retryable, at });
  }

  agentLost(record: TaskRecord, agentId: string): void {
    if (record.agentId === agentId)
      record.actor?.send({ type: 'agent.lost', agentId, at: this.#s.clock.now() });
  }

  /** A shutdown stopped the agent: the attempt is not a failure and spends nothing. */
  interrupt(record: TaskRecord, agentId: string, reason: string): void {
    if (record.agentId === agentId)
      record.actor?.send({ type: 'interrupt', reason, at: this.#s.clock.now() });
  }

  /** No agent that could ever run the queued task is left. */
  noCapableAgent(record: TaskRecord): void {
    const { capabilities, resources } = record.requirement;
    const event = { type: 'no.capable.agent', capabilities, resources } as const;
    this.#actorOf(record).send({ ...event, at: this.#s.clock.now() });
  }

  /** QoS: the queued task cannot finish by its due time; it fails without starting. */
  expire(record: TaskRecord, expiry: Omit<Extract<TaskEvent, { type: 'expire' }>, 'at' | 'type'>) {
    this.#actorOf(record).send({ type: 'expire', ...expiry, at: this.#s.clock.now() });
  }

  cancel(record: TaskRecord, reason: string): CancelOutcome {
    if (isTerminal(record.state) || record.ending !== undefined) return 'already-finished';
    this.#actorOf(record).send({ type: 'cancel', reason, at: this.#s.clock.now() });
    return 'cancelled';
  }

  /** A task's actor crashed (a bug, never a user error): fail the task rather than strand it. */
  actorCrashed(actorId: string, message: string): void {
    const record = this.#s.book.get(actorId.replace(/^task:/, ''));
    if (!record || isTerminal(record.state) || record.ending !== undefined) return;
    const error: TaskError = { kind: 'error', code: 'TaskActorError', message };
    const { taskId, attempt } = { taskId: record.task.id, attempt: record.attempts };
    this.#emitted(record, {
      type: 'task.failed',
      taskId,
      attempt,
      error,
      at: this.#s.clock.now(),
    });
  }

  /**
   * The system stopped: no record moves any more. Deadlines are cleared, a machine timer
   * still due (a retry's backoff) fires into nothing, and awaited results reject.
   */
  stopAll(): void {
    this.#stopped = true;
    for (const record of this.#s.book.records.values()) {
      if (record.deadlineTimer !== undefined) this.#s.clock.clearTimeout(record.deadlineTimer);
      record.deadlineTimer = undefined;
      // A result that will not come rejects rather than never settling.
      if (record.settlement && !isTerminal(record.state) && record.ending === undefined)
        record.settlement.reject(new SystemNotRunning(`finish task ${record.task.id}`, 'stopped'));
    }
  }

  #current(attempt: Attempt): TaskRecord | undefined {
    const record = this.#s.book.get(attempt.taskId);
    return record?.attempt === attempt ? record : undefined;
  }

  #materialize(
    record: TaskRecord,
    lane: TaskLane | undefined,
    waitingOn: readonly string[],
  ): TaskActor {
    const actor = taskActor(this.#logic, record, {
      lane,
      waitingOn,
      clock: this.#s.clock,
      random: this.#s.random,
      inspection: this.inspection,
    });
    record.actor = actor;
    actor.on('*', this.#onEmitted);
    actor.start();
    this.#s.book.sync(record);
    return actor;
  }

  /** One handler for every task actor: the actor hands back its record. */
  readonly #onEmitted = (event: TaskEmitted, record: unknown): void =>
    this.#emitted(record as TaskRecord, event);

  #emitted(record: TaskRecord, event: TaskEmitted, first = false): void {
    if (this.#stopped || record.ending !== undefined || isTerminal(record.state)) return;
    const before = first ? undefined : record.state;
    const beforeAgentId = first ? undefined : record.agentId;
    // An actor created for a queued task enters `ready` again: the record did not move.
    if (event.type === 'task.ready' && before === 'ready') return;
    const { book, events } = this.#s;
    switch (event.type) {
      case 'task.completed':
      case 'task.failed':
      case 'task.cancelled':
        this.#finish(record, event);
        break;
      default:
        book.apply(record, event);
        if (events.wants(event.type)) events.publish(event);
    }
    this.onMoved(record, event, before, beforeAgentId);
  }

  /** Durable before visible: the record, the event, the result and dependents wait for the store. */
  #finish(record: TaskRecord, event: TaskEnd): void {
    const { clock, journal } = this.#s;
    if (record.deadlineTimer !== undefined) clock.clearTimeout(record.deadlineTimer);
    record.deadlineTimer = undefined;
    if (!journal) {
      this.#ended(record, event);
      return;
    }
    record.ending = STATE_AFTER[event.type];
    // One reaction per task (a durable store holds thousands waiting on one commit).
    const durable: Promise<void> = journal.finished(record, event).then(
      () => {
        try {
          this.#ended(record, event);
        } finally {
          if (record.durable === durable) record.durable = undefined;
        }
      },
      (cause: unknown) => {
        if (record.durable === durable) record.durable = undefined;
        // Not durable: the task stays unfinished here as in the store (a restart runs it
        // again), and its result rejects with the store's error.
        record.unrecorded = cause;
        record.settlement?.reject(cause);
      },
    );
    record.durable = durable;
    // (Should announcing the end throw, `durable` fails for result(); this bookkeeping
    // branch must not turn that into an unhandled rejection too. Listeners cannot: their
    // errors go to onListenerError, listener-faults.ts.)
    durable.catch(() => undefined);
  }

  /** The end is final: the record, the event, the result, then the dependents. */
  #ended(record: TaskRecord, event: TaskEnd): void {
    this.#s.book.apply(record, event);
    forwardEnd(this.#s.events, record, event);
    for (const id of record.dependents ?? [])
      notifyDependent(this.#s.book.records, id, record, event.at);
    record.dependents = undefined;
  }

  /** The record's actor, created under the root lane if it has none yet. */
  #actorOf(record: TaskRecord): TaskActor {
    return record.actor ?? this.#materialize(record, this.rootLane, []);
  }

  #deadline(record: TaskRecord): void {
    record.deadlineTimer = undefined;
    if (isTerminal(record.state) || record.state === 'running') return;
    this.#actorOf(record).send({ type: 'deadline.reached', at: this.#s.clock.now() });
  }
}
