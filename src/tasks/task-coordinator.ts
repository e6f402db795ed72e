// Drives each task through its machine: queues ready tasks with the scheduler, creates the
// task's actor when it is first needed (linked to the agent that runs it), relays handler
// outcomes to the machine, and acts on what the machine emits. The machine decides every
// transition; this file only delivers events and carries out the consequences.
import type { AnyActorRef } from 'xstate';
import type { AgentContext } from '../../machines/agent.js';
import type { TaskEmitted } from '../../machines/task.js';
import type { TaskError } from '../../machines/task-error.js';
import type { BoundAgent } from '../agents/agent-pool.js';
import type { Attempt } from '../agents/attempt.js';
import type { Runtime } from '../system/runtime.js';
import { linkDependencies, notifyDependent } from './dependency-links.js';
import { FinishedTasks } from './finished-tasks.js';
import { type TaskActor, taskActor, taskLogic } from './task-actors.js';
import { announceOutcome, announceProgress, announceSubmitted } from './task-announcements.js';
import type { TaskRecord, TaskState } from './task-record.js';
import { isTerminal } from './task-record.js';

export class TaskCoordinator {
  readonly records = new Map<string, TaskRecord>();
  readonly #counts: Record<TaskState, number> = {
    blocked: 0,
    ready: 0,
    assigned: 0,
    running: 0,
    retrying: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
  };
  readonly #logic = taskLogic(
    (taskId) => this.records.get(taskId)?.attempt,
    (attempt, reason) => this.rt.attempts.abort(attempt, reason),
  );
  /** Set once the root supervisor runs: the parent of actors of tasks not on an agent. */
  root: AnyActorRef | undefined;
  /** Called for each finished record forgotten beyond `retainFinished`. */
  onForget: ((record: TaskRecord) => void) | undefined;
  readonly #finished: FinishedTasks;

  constructor(private readonly rt: Runtime) {
    this.#finished = new FinishedTasks(this.records, rt.options.retainFinished, (record) =>
      this.onForget?.(record),
    );
  }

  count(state: TaskState): number {
    return this.#counts[state];
  }

  get unfinished(): number {
    const c = this.#counts;
    return c.blocked + c.ready + c.assigned + c.running + c.retrying;
  }

  /** A task that had finished before the system was rebuilt from its store. */
  restoreFinished(record: TaskRecord): void {
    this.records.set(record.task.id, record);
    this.#counts[record.state]++;
    this.#finished.remember(record.task.id);
  }

  /**
   * A task that was running when the process died: its attempt is replayed through the
   * machine as assigned to its old agent, started, and lost, so the machine decides the
   * retry or the failure exactly as it would for an agent lost in this run.
   */
  replayLostAttempt(record: TaskRecord, agentId: string): void {
    if (this.records.get(record.task.id) !== record) this.holdUntilReplay(record);
    if (record.state !== 'retrying') return;
    // Created while 'ready' but not queued, so its machine's task.ready queues nothing.
    this.#setState(record, 'ready');
    const actor = this.#materialize(record, this.root, []);
    this.#setState(record, 'assigned');
    record.agentId = agentId;
    actor.send({ type: 'assign', agentId, at: this.rt.clock.now() });
  }

  /** A task waiting for its lost attempt's lease to expire: known, but not yet queued. */
  holdUntilReplay(record: TaskRecord): void {
    record.state = 'retrying';
    this.records.set(record.task.id, record);
    this.#counts.retrying++;
    announceSubmitted(this.rt.events, record);
  }

  /** A validated, admitted task enters the system. Its dependencies are known ids. */
  register(record: TaskRecord): void {
    this.records.set(record.task.id, record);
    this.#counts[record.state]++;
    const { task } = record;
    announceSubmitted(this.rt.events, record);
    if (task.deadline !== undefined) {
      record.deadlineTimer = this.rt.clock.setTimeout(
        () => this.#deadline(record),
        task.deadline - this.rt.clock.now(),
      );
    }
    const unmet = linkDependencies(this.records, record);
    if (unmet.length === 0) {
      this.#makeReady(record);
      return;
    }
    this.#materialize(record, this.root, unmet);
    for (const id of unmet) {
      const dependency = this.records.get(id);
      if (dependency && isTerminal(dependency.state))
        notifyDependent(this.records, record.task.id, dependency, this.rt.clock.now());
    }
  }

  /**
   * The scheduler placed a queued task on `agent` (its slot is reserved). Returns whether
   * the agent may be handed more work right away: not when the agent refused, nor when the
   * task's actor is busy (its `assign` waits in its mailbox, and handing out a lower task
   * first would publish that one's assignment first); `task.assigned` resumes dispatch.
   */
  start(taskId: string, agent: BoundAgent): boolean {
    const record = this.records.get(taskId);
    const at = this.rt.clock.now();
    if (record?.state !== 'ready') {
      this.rt.scheduler.release(
        agent.agentId,
        record?.requirement ?? { capabilities: [], resources: {} },
      );
      return true;
    }
    const { resources } = record.task;
    const handedOver = agent.pendingRelease;
    agent.pendingRelease = undefined;
    agent.ref.send(
      handedOver === undefined
        ? { type: 'task.assign', taskId, resources, at }
        : { type: 'task.handover', releaseTaskId: handedOver, taskId, resources, at },
    );
    if (!(taskId in (agent.ref.getSnapshot().context as AgentContext).tasks)) {
      // The agent's machine refused what the scheduler's book allowed: trust the machine.
      this.rt.scheduler.release(agent.agentId, record.requirement);
      this.rt.scheduler.enqueue(this.#entry(record));
      return false;
    }
    const actor = record.actor ?? this.#materialize(record, agent.ref, []);
    this.#setState(record, 'assigned');
    record.agentId = agent.agentId;
    // The rest follows the machine's emitted events (task.assigned, then task.started), so
    // it is correct even when this runs inside the task actor's own processing.
    actor.send({ type: 'assign', agentId: agent.agentId, at });
    // Processed now, the machine has left pending (assigned, running, or failed its deadline).
    const value = actor.getSnapshot().value;
    return typeof value === 'string' && value !== 'retrying';
  }

  reportProgress(attempt: Attempt, progress: number, note: string | undefined): void {
    const record = this.records.get(attempt.taskId);
    if (!record?.actor || record.attempt !== attempt) return;
    const at = this.rt.clock.now();
    record.progress = progress;
    record.actor.send({ type: 'progress', progress, ...(note === undefined ? {} : { note }), at });
    announceProgress(this.rt.events, attempt, progress, note, at);
  }

  reportOutput(attempt: Attempt, output: unknown): void {
    const record = this.records.get(attempt.taskId);
    if (record?.attempt === attempt)
      record.actor?.send({ type: 'complete', output, at: this.rt.clock.now() });
  }

  reportFailure(attempt: Attempt, error: TaskError, retryable: boolean): void {
    const record = this.records.get(attempt.taskId);
    if (record?.attempt === attempt)
      record.actor?.send({ type: 'fail', error, retryable, at: this.rt.clock.now() });
  }

  agentLost(taskId: string, agentId: string): void {
    const record = this.records.get(taskId);
    if (record?.agentId === agentId)
      record.actor?.send({ type: 'agent.lost', agentId, at: this.rt.clock.now() });
  }

  /** A task's actor crashed (a bug, never a user error): fail the task rather than strand it. */
  actorFailed(actorId: string, message: string): void {
    const record = this.records.get(actorId.replace(/^task:/, ''));
    if (!record || isTerminal(record.state)) return;
    record.actor = undefined;
    this.#finish(record, 'failed', { kind: 'error', code: 'TaskActorError', message }, undefined);
  }

  cancel(record: TaskRecord, reason: string): void {
    if (isTerminal(record.state)) return;
    if (record.state === 'ready') this.rt.scheduler.remove(record.task.id);
    const actor = record.actor ?? this.#materialize(record, this.root, []);
    actor.send({ type: 'cancel', reason, at: this.rt.clock.now() });
  }

  outputSchemaOf(taskId: string) {
    return this.records.get(taskId)?.task.outputSchema;
  }

  /** Hand the whole queue out again, e.g. once the system starts. */
  requeueAll(): void {
    this.rt.agents.dispatchAll();
  }

  #resumeDispatch(agentId: string): void {
    const agent = this.rt.agents.get(agentId);
    if (agent) this.rt.agents.dispatch(agent);
  }

  #entry(record: TaskRecord) {
    return {
      taskId: record.task.id,
      priority: record.task.priority,
      seq: record.seq,
      enqueuedAt: this.rt.clock.now(),
      requirement: record.requirement,
    };
  }

  #makeReady(record: TaskRecord): void {
    this.#setState(record, 'ready');
    record.agentId = undefined;
    const entry = this.#entry(record);
    if (this.rt.events.wants('task.ready')) {
      this.rt.events.publish({
        type: 'task.ready',
        taskId: record.task.id,
        attempt: record.attempts,
        at: entry.enqueuedAt,
      });
    }
    // Queue first, then let a free agent take the best task it can run: a slot freed in
    // this same step may be owed to a queued task of higher priority than this one.
    this.rt.scheduler.enqueue(entry);
    if (this.rt.phase !== 'running') return;
    const agentId = this.rt.scheduler.freeAgentFor(entry.requirement);
    const agent = agentId === undefined ? undefined : this.rt.agents.get(agentId);
    if (agent) this.rt.agents.dispatch(agent);
  }

  #materialize(
    record: TaskRecord,
    parent: AnyActorRef | undefined,
    waitingOn: readonly string[],
  ): TaskActor {
    const actor = taskActor(this.#logic, record, {
      parent,
      waitingOn,
      clock: this.rt.clock,
      random: this.rt.options.random,
    });
    record.actor = actor;
    actor.on('*', (event: TaskEmitted) => this.#onTaskEvent(record, event));
    if (waitingOn.length > 0) this.#setState(record, 'blocked');
    actor.start();
    return actor;
  }

  #onTaskEvent(record: TaskRecord, event: TaskEmitted): void {
    switch (event.type) {
      case 'task.ready':
        if (
          record.state === 'blocked' ||
          record.state === 'retrying' ||
          record.state === 'assigned'
        ) {
          if (this.rt.phase !== 'stopped') this.#makeReady(record);
        }
        return;
      case 'task.assigned':
        if (this.rt.events.wants('task.assigned')) this.rt.events.publish(event);
        record.actor?.send({ type: 'start', at: this.rt.clock.now() });
        this.#resumeDispatch(event.agentId);
        return;
      case 'task.started': {
        this.#setState(record, 'running');
        record.attempts = event.attempt;
        record.startedAt = event.at;
        if (this.rt.events.wants('task.started')) this.rt.events.publish(event);
        const agent = this.rt.agents.get(event.agentId);
        if (agent && agent.status !== 'lost' && record.actor)
          this.rt.attempts.run(record, agent, record.actor);
        else
          record.actor?.send({
            type: 'agent.lost',
            agentId: event.agentId,
            at: this.rt.clock.now(),
          });
        return;
      }
      case 'task.retrying':
        this.#setState(record, 'retrying');
        record.error = event.error;
        record.agentId = undefined;
        this.rt.events.publish(event);
        return;
      case 'task.completed':
        this.#finish(record, 'completed', undefined, event.output);
        return;
      case 'task.failed':
        this.#finish(record, 'failed', event.error, undefined);
        return;
      case 'task.cancelled':
        this.#finish(
          record,
          'cancelled',
          { kind: 'cancelled', code: 'TaskCancelled', message: event.reason },
          undefined,
        );
    }
  }

  #finish(
    record: TaskRecord,
    state: 'completed' | 'failed' | 'cancelled',
    error: TaskError | undefined,
    output: unknown,
  ): void {
    if (isTerminal(record.state)) return;
    const at = this.rt.clock.now();
    const reservedOn = record.state === 'assigned' ? record.agentId : undefined;
    this.#setState(record, state);
    record.finishedAt = at;
    record.output = output;
    record.error = error;
    record.actor = undefined;
    if (record.deadlineTimer !== undefined) this.rt.clock.clearTimeout(record.deadlineTimer);
    const taskId = record.task.id;
    const journal = this.rt.journal;
    if (journal) {
      // Durable before announced: the final event and the result wait for the store.
      const durable = journal.finished(record, state, error, output, at).then(
        () => announceOutcome(this.rt.events, record, state, error, output, at),
        (cause: unknown) => record.settlement?.reject(cause),
      );
      record.durable = durable;
      // (A listener that throws while announcing fails `durable` for result(); this
      // bookkeeping branch must not turn that into an unhandled rejection too.)
      durable
        .finally(() => {
          if (record.durable === durable) record.durable = undefined;
        })
        .catch(() => undefined);
    } else announceOutcome(this.rt.events, record, state, error, output, at);
    for (const id of record.dependents ?? []) notifyDependent(this.records, id, record, at);
    record.dependents = undefined;
    // Assigned but never started (its deadline passed at assignment): the reserved slot
    // goes back last, after the end is published, since releasing it hands out new work.
    if (reservedOn !== undefined)
      this.rt.agents.releaseReservation(reservedOn, taskId, record.requirement);
    this.#finished.remember(taskId);
  }

  #deadline(record: TaskRecord): void {
    record.deadlineTimer = undefined;
    if (isTerminal(record.state) || record.state === 'running') return;
    if (record.state === 'ready') this.rt.scheduler.remove(record.task.id);
    const actor = record.actor ?? this.#materialize(record, this.root, []);
    actor.send({ type: 'deadline.reached', at: this.rt.clock.now() });
  }

  #setState(record: TaskRecord, state: TaskState): void {
    this.#counts[record.state]--;
    this.#counts[state]++;
    record.state = state;
  }
}
