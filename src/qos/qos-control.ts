// QoS at run time: the measured run times, the class controllers, and the two checks that
// keep late work off the agents. A task leaving its class's queue is sampled (its queueing
// delay, for the controller) and started only if it can still finish by its due time (its
// deadline, or its class's SLO from submit); one that cannot is expired (its machine fails
// it as DeadlineExceeded, with the prediction in the message). While a class is overloaded,
// its controller asks for sweeps: queued work that can no longer make it leaves at once.
import type { ClassMode } from '../../machines/class-controller.js';
import {
  type ClassBacklog,
  keepsDue,
  predictedFinish,
  predictedWaitMs,
} from '../../machines/finish-prediction.js';
import type { QosOptions } from '../../machines/qos-classes.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { Overloaded } from '../errors/index.js';
import type { ReadyEntry, Scheduler } from '../scheduling/scheduler.js';
import type { TaskBook } from '../tasks/task-book.js';
import type { TaskLifecycle } from '../tasks/task-lifecycle.js';
import type { TaskRecord } from '../tasks/task-record.js';
import { ClassControllers } from './class-controllers.js';
import { ServiceTimes } from './service-times.js';

export interface QosControlSettings {
  readonly qos: QosOptions;
  readonly clock: SystemClock;
  readonly events: EventStream;
  readonly book: TaskBook;
  readonly lifecycle: TaskLifecycle;
  scheduler(): Scheduler;
}

/** Why a task is not started: it would finish past its due time. */
export interface Expiry {
  readonly reason: string;
  readonly dueAt: number;
  readonly predictedFinishAt: number;
}

export class QosControl {
  readonly times = new ServiceTimes();
  readonly #controllers: ClassControllers;

  constructor(private readonly s: QosControlSettings) {
    this.#controllers = new ClassControllers(s.qos, s.clock, s.events, {
      onMode: (qos, mode) => s.scheduler().setFreshestFirst(qos, mode !== 'normal'),
      onSweep: (qos) => this.#sweep(qos),
    });
  }

  mode(qos: string): ClassMode {
    return this.#controllers.mode(qos);
  }

  backlogs(): ReadonlyMap<string, ClassBacklog> {
    return this.s.scheduler().backlogs;
  }

  slots(): number {
    return this.s.scheduler().slots;
  }

  /** The class has nothing queued any more: its controller may leave overload. */
  emptied(qos: string): void {
    this.#controllers.emptied(qos, this.s.clock.now());
  }

  /** A submission was refused: published for metrics and operators. */
  rejected(refusal: Overloaded, requested: string, tasks: number): void {
    this.s.events.publish({
      type: 'qos.rejected',
      qos: requested,
      full: refusal.qos,
      reason: refusal.reason,
      tasks,
      retryAfterMs: refusal.retryAfterMs,
      at: this.s.clock.now(),
    });
  }

  /**
   * The scheduler took `entry` for the agent: its delay is sampled, and if it can no longer
   * finish in time the expiry is returned (the caller gives the slot back and expires it).
   */
  left(entry: ReadyEntry, record: TaskRecord, agentId: string): Expiry | undefined {
    const now = this.s.clock.now();
    const qos = entry.qos ?? this.s.qos.default;
    const scheduler = this.s.scheduler();
    // An emptied queue was reported by the scheduler (`emptied`); a sample needs a backlog.
    if (scheduler.queuedIn(qos) > 0) {
      const backlogMs = predictedWaitMs(scheduler.backlogs, qos, scheduler.slots);
      this.#controllers.sampled(qos, now - entry.enqueuedAt, backlogMs, now);
    }
    return this.#expiry(entry, record, now, agentId);
  }

  /** An attempt of the task ran `runMs` on the agent. */
  ended(record: TaskRecord, agentId: string, runMs: number): void {
    this.times.observe(record.task.type, agentId, runMs);
  }

  expire(record: TaskRecord, expiry: Expiry): void {
    this.s.lifecycle.expire(record, expiry);
  }

  stop(): void {
    this.#controllers.stop();
  }

  #expiry(
    entry: ReadyEntry,
    record: TaskRecord,
    now: number,
    agentId?: string,
  ): Expiry | undefined {
    const { dueAt } = entry;
    if (dueAt === undefined || !Number.isFinite(dueAt)) return undefined;
    const runMs = this.times.typicalMs(record.task.type, agentId);
    const predictedFinishAt = predictedFinish(now, 0, runMs);
    if (keepsDue(predictedFinishAt, dueAt)) return undefined;
    return {
      reason: `it would finish about ${Math.round(predictedFinishAt - dueAt)} ms after its due time ${dueAt} (typical run ${Math.round(runMs)} ms from ${now})`,
      dueAt,
      predictedFinishAt,
    };
  }

  #sweep(qos: string): void {
    const now = this.s.clock.now();
    const { book } = this.s;
    const expiries = new Map<string, Expiry>();
    const taken = this.s.scheduler().sweep(qos, (entry) => {
      const record = book.get(entry.taskId);
      const expiry = record && this.#expiry(entry, record, now);
      if (expiry) expiries.set(entry.taskId, expiry);
      return expiry !== undefined;
    });
    for (const entry of taken) {
      const record = book.get(entry.taskId);
      const expiry = expiries.get(entry.taskId);
      if (record && expiry) this.expire(record, expiry);
    }
  }
}
