// Where a submission becomes tasks: admitted through the QoS classes' room (waiting there
// under the `delay` policy), validated, ids given, written to the store before anything else
// happens to them, registered with their machines, and handed back as handles.
import { realClock, type SystemClock } from '../core/clock.js';
import { SystemNotRunning, UnknownTask } from '../errors/index.js';
import { type HandleHooks, taskHandle } from '../tasks/task-handle.js';
import type { TaskHandle, TaskRecord } from '../tasks/task-record.js';
import type { Entry } from './class-room.js';
import type { SystemParts } from './compose-system.js';
import type { KeepAlive } from './keep-alive.js';
import type { SystemPhase } from './system-phase.js';

export interface Accepted {
  readonly handles: TaskHandle[];
  /** Resolves once the store holds the new tasks (undefined without a store). */
  readonly durable: Promise<void> | undefined;
}

export class TaskAcceptance {
  constructor(
    private readonly p: Pick<
      SystemParts,
      'intake' | 'journal' | 'lifecycle' | 'book' | 'dispatcher' | 'room'
    >,
    private readonly clock: SystemClock,
    private readonly keepAlive: KeepAlive,
    private readonly hooks: HandleHooks,
  ) {}

  /**
   * `accept`, once the QoS classes take the submission: at once, or a promise while it waits
   * for room (the `delay` policy), in the phase the system has by then.
   */
  admit(specs: readonly unknown[], batch: boolean, phase: () => SystemPhase) {
    const accept = (entry: Entry) => this.accept(specs, batch, phase(), entry);
    return this.p.room.admit(accept, () => ownIds(specs));
  }

  /**
   * Admits and registers `specs` (a batch whole or not at all) in phase `phase`; `entry`
   * says whether the QoS classes' admission is waived and which tasks enter cancelled
   * (under a dispatch hold, so none of them can start first).
   */
  accept(specs: readonly unknown[], batch: boolean, phase: SystemPhase, entry: Entry): Accepted {
    if (entry.cancels.size === 0) return this.#accept(specs, batch, phase, entry.waived);
    return this.p.dispatcher.hold(() => {
      const accepted = this.#accept(specs, batch, phase, entry.waived);
      for (const [taskId, reason] of entry.cancels) {
        const record = this.p.book.get(taskId);
        if (record) this.p.lifecycle.cancel(record, reason);
      }
      return accepted;
    });
  }

  #accept(
    specs: readonly unknown[],
    batch: boolean,
    phase: SystemPhase,
    waived: boolean,
  ): Accepted {
    if (phase === 'stopped' || phase === 'failed' || phase === 'draining')
      throw new SystemNotRunning('submit', phase);
    const { fresh, ids } = this.p.intake.admit(specs, batch, waived);
    // Written before registered, so the store has each task before anything it does.
    const durable = this.p.journal?.submitted(fresh);
    for (const record of fresh) this.p.lifecycle.register(record);
    if (this.clock === realClock && phase === 'running') this.keepAlive.update(true);
    return { handles: ids.map((id) => taskHandle(this.record(id), this.hooks)), durable };
  }

  /** The task's record; UnknownTask for an id never submitted, or forgotten. */
  record(taskId: string): TaskRecord {
    const record = this.p.book.get(taskId);
    if (!record) throw new UnknownTask(taskId);
    return record;
  }
}

/** Each spec's own id, if it names one (by which a task waiting for room is withdrawn). */
export function ownIds(specs: readonly unknown[]): (string | undefined)[] {
  return specs.map((spec) => {
    const id =
      typeof spec === 'object' && spec !== null ? (spec as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id : undefined;
  });
}
