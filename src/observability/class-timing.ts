// Where each QoS class's time goes: how long its tasks wait between becoming ready and
// starting (queueing delay), how long its attempts run (busy), and how much of that ran
// for tasks that then missed their SLO (wasted). A task is tracked only while unfinished:
// its entry goes when it finishes, so memory follows the unfinished tasks, not the run.
import { type HistogramSnapshot, LatencyHistogram } from './latency-histogram.js';

/** One unfinished task's timing: when it became ready or started, and what it ran so far. */
interface TaskTiming {
  /** Since when it has waited to start (its first `task.ready` since its last start). */
  readyAt: number | undefined;
  /** When its current attempt started, while one runs. */
  startedAt: number | undefined;
  /** Run time of its ended attempts, in ms. */
  ranMs: number;
}

/** One class's time, as the snapshot reports it. */
export interface ClassTime {
  readonly busyMs: number;
  readonly wastedMs: number;
  readonly queueDelay: HistogramSnapshot;
}

interface ClassClock {
  busyMs: number;
  wastedMs: number;
  readonly queueDelay: LatencyHistogram;
}

export class ClassTiming {
  readonly #tasks = new Map<string, TaskTiming>();
  readonly #byClass = new Map<string, ClassClock>();

  /** Tasks tracked now (unfinished ones that have become ready at least once). */
  get tracked(): number {
    return this.#tasks.size;
  }

  /** The task became ready: it waits from now, unless it already waited since its last start. */
  ready(taskId: string, at: number): void {
    const task = this.#tasks.get(taskId);
    if (!task) this.#tasks.set(taskId, { readyAt: at, startedAt: undefined, ranMs: 0 });
    else task.readyAt ??= at;
  }

  /** An attempt of the task (of class `qos`) started. */
  started(taskId: string, qos: string, at: number): void {
    let task = this.#tasks.get(taskId);
    if (!task) {
      task = { readyAt: undefined, startedAt: undefined, ranMs: 0 };
      this.#tasks.set(taskId, task);
    }
    if (task.readyAt !== undefined) this.#class(qos).queueDelay.record(at - task.readyAt);
    task.readyAt = undefined;
    task.startedAt = at;
  }

  /** The task's running attempt (if one runs) ended: retrying, interrupted, or finished. */
  attemptEnded(taskId: string, qos: string, at: number): void {
    const task = this.#tasks.get(taskId);
    if (task?.startedAt === undefined) return;
    const ran = at - task.startedAt;
    task.startedAt = undefined;
    task.ranMs += ran;
    this.#class(qos).busyMs += ran;
  }

  /**
   * The task finished: its running attempt ends, and what all its attempts ran is waste
   * unless it `met` its SLO. Its entry goes.
   */
  finished(taskId: string, qos: string, at: number, met: boolean): void {
    this.attemptEnded(taskId, qos, at);
    const task = this.#tasks.get(taskId);
    if (!task) return;
    this.#tasks.delete(taskId);
    if (!met && task.ranMs > 0) this.#class(qos).wastedMs += task.ranMs;
  }

  snapshot(qos: string): ClassTime {
    const c = this.#byClass.get(qos);
    return {
      busyMs: c?.busyMs ?? 0,
      wastedMs: c?.wastedMs ?? 0,
      queueDelay: (c?.queueDelay ?? EMPTY).snapshot(),
    };
  }

  #class(qos: string): ClassClock {
    let c = this.#byClass.get(qos);
    if (!c) {
      c = { busyMs: 0, wastedMs: 0, queueDelay: new LatencyHistogram() };
      this.#byClass.set(qos, c);
    }
    return c;
  }
}

const EMPTY = new LatencyHistogram();
