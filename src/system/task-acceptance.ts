// Where a submission becomes tasks: admitted (validated, ids given), written to the store
// before anything else happens to them, registered with their machines, and handed back
// as handles. The facade calls it inside the class room's admission.
import { realClock, type SystemClock } from '../core/clock.js';
import { SystemNotRunning, UnknownTask } from '../errors/index.js';
import { type HandleHooks, taskHandle } from '../tasks/task-handle.js';
import type { TaskHandle, TaskRecord } from '../tasks/task-record.js';
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
    private readonly p: Pick<SystemParts, 'intake' | 'journal' | 'lifecycle' | 'book'>,
    private readonly clock: SystemClock,
    private readonly keepAlive: KeepAlive,
    private readonly hooks: HandleHooks,
  ) {}

  /** Admits and registers `specs` (a batch whole or not at all) in phase `phase`. */
  accept(specs: readonly unknown[], batch: boolean, phase: SystemPhase): Accepted {
    if (phase === 'stopped' || phase === 'failed' || phase === 'draining')
      throw new SystemNotRunning('submit', phase);
    const { fresh, ids } = this.p.intake.admit(specs, batch);
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
