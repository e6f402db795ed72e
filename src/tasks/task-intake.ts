// Admission: what `submit` and `submitMany` do before a task exists. Every spec is
// validated, idempotency keys resolved, dependencies checked, capabilities matched
// against the declared agents and the queue's capacity enforced, all before anything is
// registered: a batch is accepted whole or not at all.
import type { RetryPolicy } from '../../machines/retry-policy.js';
import { DuplicateTaskId, NoCapableAgent, QueueFull } from '../errors/index.js';
import { agentCanEverServe, type Requirement } from '../scheduling/requirement.js';
import { orderBatch } from '../validation/dependency-order.js';
import { validateTaskSpec } from '../validation/validate-task-spec.js';
import { batchPathLengths } from './critical-path.js';
import { admitToClasses, type QosAdmissionSettings } from './qos-admission.js';
import { newTaskId } from './task-id.js';
import type { NewTaskRecord, TaskRecord } from './task-record.js';
import type { NormalizedTask } from './task-spec.js';

/** What admission reads; the QoS part (classes, predictions) is `QosAdmissionSettings`. */
export interface IntakeSettings extends QosAdmissionSettings {
  readonly defaultRetry: RetryPolicy;
  readonly newTaskId: (() => string) | undefined;
  readonly capacity: number;
  readonly unmatchedCapability: 'reject' | 'keep-pending';
  /** What the system's agents offer. */
  declared(): readonly {
    capabilities: ReadonlySet<string>;
    limits: Readonly<Record<string, number>>;
  }[];
  readonly records: ReadonlyMap<string, TaskRecord>;
  unfinished(): number;
}

export class TaskIntake {
  readonly #byKey = new Map<string, string>();
  #seq = 0;

  readonly #qosClasses: ReadonlySet<string> | undefined;

  constructor(private readonly settings: IntakeSettings) {
    const { qos } = settings;
    this.#qosClasses = qos ? new Set(Object.keys(qos.classes)) : undefined;
  }

  /**
   * Records for new tasks, in dependency order, and for every spec the id it stands for.
   * `classesWaived`: the QoS classes' admission is skipped (tasks cancelled as they enter).
   */
  admit(
    specs: readonly unknown[],
    batch: boolean,
    classesWaived = false,
  ): { fresh: NewTaskRecord[]; ids: string[] } {
    const s = this.settings;
    const now = s.now();
    const newId = s.newTaskId ?? newTaskId;
    const ids: string[] = [];
    const fresh: NormalizedTask[] = [];
    const keysInBatch = new Map<string, string>();
    specs.forEach((spec, i) => {
      const task = validateTaskSpec(spec, {
        now,
        defaultRetry: s.defaultRetry,
        newId,
        ...(batch ? { index: i } : {}),
        ...(this.#qosClasses && s.qos
          ? { qosClasses: this.#qosClasses, defaultQos: s.qos.default }
          : {}),
      });
      const key = task.idempotencyKey;
      const existing =
        key === undefined ? undefined : (this.#byKey.get(key) ?? keysInBatch.get(key));
      if (existing !== undefined) {
        ids.push(existing);
        return;
      }
      if (s.records.has(task.id)) throw new DuplicateTaskId(task.id);
      if (key !== undefined) keysInBatch.set(key, task.id);
      ids.push(task.id);
      fresh.push(task);
    });
    const inOrder = orderBatch(fresh, (id) => s.records.has(id));
    const ordered = classesWaived ? inOrder : admitToClasses(inOrder, s);
    for (const task of ordered) this.#checkCapable(task);
    if (s.unfinished() + ordered.length > s.capacity) {
      const overflow = s.unfinished() + ordered.length - s.capacity;
      const rate = s.throughputPerMs();
      throw new QueueFull(s.capacity, rate > 0 ? Math.ceil(overflow / rate) : 1_000);
    }
    for (const [key, id] of keysInBatch) this.#byKey.set(key, id);
    const paths = batchPathLengths(ordered);
    const records = ordered.map((task) => {
      const record = this.#record(task, now);
      const pathLength = paths.get(task.id);
      return pathLength === undefined ? record : { ...record, pathLength };
    });
    return { fresh: records, ids };
  }

  /** A finished task was forgotten: its idempotency key no longer stands for it. */
  forget(record: TaskRecord): void {
    const key = record.task.idempotencyKey;
    if (key !== undefined && this.#byKey.get(key) === record.task.id) this.#byKey.delete(key);
  }

  #checkCapable(task: NormalizedTask): void {
    if (this.settings.unmatchedCapability === 'keep-pending') return;
    const requirement = requirementOf(task);
    const declared = this.settings.declared();
    if (declared.some((agent) => agentCanEverServe(agent, requirement))) return;
    const capable = declared.filter((agent) =>
      task.capabilities.every((c) => agent.capabilities.has(c)),
    );
    if (capable.length === 0) {
      const offered = new Set(declared.flatMap((agent) => [...agent.capabilities]));
      const unoffered = task.capabilities.filter((c) => !offered.has(c));
      // Each is offered, but by no one agent: the set is what is missing.
      const capabilities = unoffered.length > 0 ? unoffered : task.capabilities;
      throw new NoCapableAgent(task.id, { capabilities, resources: {} });
    }
    const needed = Object.entries(task.resources).filter(([, amount]) => amount > 0);
    const short = needed.filter(
      ([name, amount]) => !capable.some((agent) => (agent.limits[name] ?? 0) >= amount),
    );
    // Each amount is met by some agent, but none meets them all: all are missing together.
    const resources = Object.fromEntries(short.length > 0 ? short : needed);
    throw new NoCapableAgent(task.id, { capabilities: [], resources });
  }

  /**
   * The record of a task read back from a store: its id and idempotency key stay taken,
   * and it keeps its place after every task restored before it.
   */
  restore(
    task: NormalizedTask,
    submittedAt: number,
    status: Pick<TaskRecord, 'attempts' | 'output' | 'error' | 'finishedAt'>,
  ): NewTaskRecord {
    if (task.idempotencyKey !== undefined) this.#byKey.set(task.idempotencyKey, task.id);
    return Object.assign(this.#record(task, submittedAt), status);
  }

  #record(task: NormalizedTask, now: number): NewTaskRecord {
    return {
      task,
      seq: this.#seq++,
      submittedAt: now,
      requirement: requirementOf(task),
      // Set by the task book when the task is admitted: its machine's initial state.
      state: undefined,
      actor: undefined,
      attempts: 0,
      agentId: undefined,
      attempt: undefined,
      progress: undefined,
      output: undefined,
      error: undefined,
      startedAt: undefined,
      finishedAt: undefined,
      dependents: undefined,
      deadlineTimer: undefined,
      settlement: undefined,
    };
  }
}

export const requirementOf = (task: NormalizedTask): Requirement => ({
  capabilities: task.capabilities,
  resources: task.resources,
});
