// A submission's QoS classes: each task of a batch goes to its class if that class can take
// it, or where its overload policy says (`admissionOf` in machines/qos-classes.ts decides).
// A class cannot take a task at its queue cap, while it sheds load, or when the task is
// predicted to finish past its SLO or deadline (the class's measured run times and the work
// queued ahead: machines/finish-prediction.ts). One refusal refuses the whole submission
// with `Overloaded` before anything is stored: refused work is never half-stored. Under a
// `delay` policy the refusal is `RoomAwaited` instead: the submission may wait and try again.
import {
  type ClassBacklog,
  keepsDue,
  predictedFinish,
  predictedWaitMs,
} from '../../machines/finish-prediction.js';
import { admissionOf, dueAtOf, type QosOptions, type Refusal } from '../../machines/qos-classes.js';
import { Overloaded } from '../errors/index.js';
import { RoomAwaited } from '../errors/room-awaited.js';
import type { NormalizedTask } from './task-spec.js';

export interface QosAdmissionSettings {
  readonly qos: QosOptions | undefined;
  now(): number;
  /** Unfinished tasks of a class now. */
  unfinishedIn(qos: string): number;
  /** Recent completions per ms, for the retry hint; 0 when unknown. */
  throughputPerMs(): number;
  /** Queued work per class, and the agent slots it is shared over. */
  backlogs(): ReadonlyMap<string, ClassBacklog>;
  slots(): number;
  /** Measured run time of a task type: mean (its cost) and typical (about median), ms. */
  meanMs(type: string): number;
  typicalMs(type: string): number;
  /** Whether the class's controller sheds load now. */
  shedding(qos: string): boolean;
  /** A submission was refused (for `qos.rejected`). */
  rejected(refusal: Overloaded, requested: string, tasks: number): void;
}

/** The batch's tasks with the class each is admitted to (degraded ones changed). */
export function admitToClasses(
  tasks: readonly NormalizedTask[],
  s: QosAdmissionSettings,
): readonly NormalizedTask[] {
  const { qos } = s;
  if (qos === undefined) return tasks;
  const now = s.now();
  const inBatch = new Map<string, { tasks: number; workMs: number }>();
  let why = '';
  return tasks.map((task) => {
    const refusalOf = (name: string): Refusal | undefined => {
      const cls = qos.classes[name];
      if (!cls) return undefined;
      const mine = inBatch.get(name);
      if (cls.queueCap !== undefined && s.unfinishedIn(name) + (mine?.tasks ?? 0) >= cls.queueCap)
        return 'queue-cap';
      if (s.shedding(name)) return 'shedding';
      if (cls.admitByPrediction === false) return undefined;
      const waitMs = waitOf(s, name, mine?.workMs ?? 0);
      const finish = predictedFinish(now, waitMs, s.typicalMs(task.type));
      const dueAt = dueAtOf(task.deadline, now, cls.sloMs);
      if (keepsDue(finish, dueAt)) return undefined;
      why = `task ${task.id} would wait ${Math.round(waitMs)} ms and run ${Math.round(finish - now - waitMs)} ms, finishing ${Math.round(finish - dueAt)} ms after its due time`;
      return 'predicted-late';
    };
    const admission = admissionOf(qos, task.qos, refusalOf);
    if (!admission.admitted) {
      const { full, reason } = admission;
      const cls = qos.classes[full];
      const refusal = new Overloaded(
        full,
        cls?.queueCap ?? 0,
        retryAfterMs(qos, full, s),
        reason,
        why,
      );
      if (admission.wait)
        throw new RoomAwaited(refusal, task.qos, tasks.length, cls?.maxDelayMs ?? cls?.sloMs ?? 0);
      s.rejected(refusal, task.qos, tasks.length);
      throw refusal;
    }
    const mine = inBatch.get(admission.qos) ?? { tasks: 0, workMs: 0 };
    inBatch.set(admission.qos, {
      tasks: mine.tasks + 1,
      workMs: mine.workMs + s.meanMs(task.type),
    });
    return admission.qos === task.qos ? task : { ...task, qos: admission.qos };
  });
}

/** How long the class's queued work, plus `extraMs` of this submission, waits to be served. */
function waitOf(s: QosAdmissionSettings, name: string, extraMs: number): number {
  const backlogs = s.backlogs();
  if (extraMs <= 0) return predictedWaitMs(backlogs, name, s.slots());
  const own = backlogs.get(name);
  const withBatch = new Map(backlogs);
  withBatch.set(name, { weight: own?.weight ?? 1, workMs: (own?.workMs ?? 0) + extraMs });
  return predictedWaitMs(withBatch, name, s.slots());
}

/** When one slot of the class should free: its weighted share of recent throughput. */
function retryAfterMs(qos: QosOptions, name: string, s: QosAdmissionSettings): number {
  const rate = s.throughputPerMs();
  if (rate <= 0) return 1_000;
  const weights = Object.values(qos.classes).map((c) => c.weight ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const share = (qos.classes[name]?.weight ?? 1) / total;
  return Math.max(1, Math.ceil(1 / (rate * share)));
}
