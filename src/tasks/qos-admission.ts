// A submission's QoS classes at their queue caps: each task of a batch goes to its class,
// or, when that class is full, where its overload policy says (`admissionOf` in
// machines/qos-classes.ts decides). One refusal refuses the whole batch with `Overloaded`,
// before anything is stored: refused work is never half-stored.
import { admissionOf, type QosOptions } from '../../machines/qos-classes.js';
import { Overloaded } from '../errors/index.js';
import type { NormalizedTask } from './task-spec.js';

export interface QosAdmissionSettings {
  readonly qos: QosOptions | undefined;
  /** Unfinished tasks of a class now. */
  unfinishedIn(qos: string): number;
  /** Recent completions per ms, for the retry hint; 0 when unknown. */
  throughputPerMs(): number;
}

/** The batch's tasks with the class each is admitted to (degraded ones changed). */
export function admitToClasses(
  tasks: readonly NormalizedTask[],
  s: QosAdmissionSettings,
): readonly NormalizedTask[] {
  const { qos } = s;
  if (qos === undefined) return tasks;
  const inBatch = new Map<string, number>();
  const unfinishedOf = (name: string) => s.unfinishedIn(name) + (inBatch.get(name) ?? 0);
  return tasks.map((task) => {
    const admission = admissionOf(qos, task.qos, unfinishedOf);
    if (!admission.admitted) {
      const cap = qos.classes[admission.full]?.queueCap ?? 0;
      throw new Overloaded(admission.full, cap, retryAfterMs(qos, admission.full, s));
    }
    inBatch.set(admission.qos, (inBatch.get(admission.qos) ?? 0) + 1);
    return admission.qos === task.qos ? task : { ...task, qos: admission.qos };
  });
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
