// The one place a task meets an agent: a ready task is queued and placed on a free agent
// that can run it, both machines take the slot, the attempt runs, its end frees the slot.
// It carries each machine's decision (task moves, agent moves, attempt ends) to the next.
import type { TaskEmitted } from '../../machines/task.js';
import { STATE_AFTER, type TaskState } from '../../machines/task-states.js';
import type { LossCause } from '../agents/agent-registry.js';
import type { Attempt } from '../agents/attempt.js';
import { type AttemptEnd, AttemptRunner } from '../agents/attempt-runner.js';
import { type BoundAgent, isOnline } from '../agents/bound-agent.js';
import { offerSlot, releaseSlot } from '../agents/slot-offer.js';
import { type ReadyEntry, Scheduler } from '../scheduling/scheduler.js';
import type { TaskRecord } from '../tasks/task-record.js';
import type { DispatcherSettings } from './dispatcher-settings.js';
import { readyEntry } from './ready-entry.js';

export type { DispatcherSettings } from './dispatcher-settings.js';

export class Dispatcher {
  readonly scheduler: Scheduler;
  readonly #attempts: AttemptRunner;
  readonly #s: DispatcherSettings;
  /** Work is handed out only while running: not before start, nor once shutting down. */
  #paused = true;
  /** An agent left for good since start: queued tasks may have no agent left. */
  #departed = false;
  /** Set when an agent's machine refused the task just offered to it. */
  #refused = false;

  constructor(settings: DispatcherSettings) {
    const { agents, lifecycle } = settings;
    this.#s = settings;
    this.scheduler = new Scheduler(settings.scheduling);
    this.#attempts = new AttemptRunner({
      ...settings, // its clock, events, hosts, abortGraceMs and tools
      heartbeat: (agent) => agents.heartbeat(agent),
      crash: (agent, message) => agents.crash(agent, message),
      progress: (attempt, progress, note) => lifecycle.progress(attempt, progress, note),
      ended: (attempt, agent, end) => this.#ended(attempt, agent, end),
    });
    lifecycle.onMoved = (record, event, before, beforeAgentId) =>
      this.#moved(record, event, before, beforeAgentId);
    agents.listen({
      online: (agent) => this.#online(agent),
      lost: (agent, held, reason, cause) => this.#lost(agent, held, reason, cause),
      refused: (agent, taskId) => this.#refusedBy(agent, taskId),
      taskActorCrashed: (actorId, message) => lifecycle.actorCrashed(actorId, message),
    });
  }

  get readyCount(): number {
    return this.scheduler.readyCount;
  }

  /** Hand out work: every agent takes what it can. */
  resume(): void {
    this.#paused = false;
    for (const agent of this.#s.agents.all()) this.dispatch(agent);
  }

  /** Hand out nothing more; what runs goes on. */
  pause(): void {
    this.#paused = true;
  }

  /** `fn()` with nothing handed out while it runs (a pause stays as it was). */
  hold<T>(fn: () => T): T {
    if (this.#paused) return fn();
    this.#paused = true;
    try {
      return fn();
    } finally {
      this.resume();
    }
  }

  /** The task's machine moved on: abort the attempt's handler. */
  abort(attempt: Attempt, reason: Error): void {
    this.#attempts.abort(attempt, this.#s.agents.get(attempt.agentId), reason);
  }

  /** Agents left for good: queued tasks that no agent left can run fail (unless kept pending). */
  agentsLeft(): void {
    this.#departed = true;
    if (this.#s.unmatchedCapability !== 'reject') return;
    const { book, lifecycle } = this.#s;
    for (const entry of this.scheduler.takeUnservable((r) => this.#s.canEverServe(r))) {
      const record = book.get(entry.taskId);
      if (record) lifecycle.noCapableAgent(record);
    }
  }

  /** Hand queued work to the agent while it has room and the system takes new work. */
  dispatch(agent: BoundAgent): void {
    if (!this.#paused && isOnline(agent)) {
      const { scheduler } = this;
      for (
        let entry = scheduler.nextFor(agent.agentId);
        entry;
        entry = scheduler.nextFor(agent.agentId)
      ) {
        if (!this.#place(entry, agent) || !isOnline(agent)) break;
      }
    }
    this.#flushRelease(agent);
  }

  /** The scheduler reserved a slot of `agent` for the task: offer it to both machines. */
  #place(entry: ReadyEntry, agent: BoundAgent): boolean {
    const { taskId } = entry;
    const record = this.#s.book.get(taskId);
    const expiry =
      record?.state === 'ready' ? this.#s.qos?.left(entry, record, agent.agentId) : undefined;
    if (record?.state !== 'ready' || expiry) {
      if (record) this.scheduler.release(agent.agentId, record.requirement);
      if (record && expiry) this.#s.qos?.expire(record, expiry);
      return true;
    }
    const { resources } = record.task;
    const at = this.#s.clock.now();
    this.#refused = false;
    if (!offerSlot(agent, taskId, resources, at, this.#s.agents)) {
      this.#requeue(agent, record);
      return false;
    }
    if (this.#refused) return false;
    return this.#s.lifecycle.assign(record, agent.agentId, agent.lane);
  }

  /** The agent's machine refused a task (full, draining): it goes back to the queue. */
  #refusedBy(agent: BoundAgent, taskId: string): void {
    const record = this.#s.book.get(taskId);
    if (!record) return;
    this.#refused = true;
    agent.slots.release(taskId);
    this.#requeue(agent, record);
  }

  /** Back in the queue without a dispatch: the refusing agent would be offered it again. */
  #requeue(agent: BoundAgent, record: TaskRecord): void {
    this.scheduler.release(agent.agentId, record.requirement);
    this.scheduler.enqueue(this.#entry(record));
  }

  #moved(
    record: TaskRecord,
    event: TaskEmitted,
    before: TaskState | undefined,
    beforeAgentId: string | undefined,
  ): void {
    const after: TaskState | undefined = STATE_AFTER[event.type];
    if (before === 'ready' && after !== undefined && after !== 'ready' && after !== 'assigned')
      this.scheduler.remove(record.task.id);
    if (before === 'assigned' && after !== undefined && after !== 'running' && beforeAgentId)
      this.#unreserve(beforeAgentId, record);
    switch (event.type) {
      case 'task.ready':
        this.#queue(record);
        return;
      case 'task.assigned':
        this.#s.lifecycle.start(record);
        this.#dispatchOn(event.agentId);
        return;
      case 'task.started':
        this.#run(record, event.agentId);
        return;
    }
  }

  #queue(record: TaskRecord): void {
    const { requirement } = record;
    if (
      this.#departed &&
      this.#s.unmatchedCapability === 'reject' &&
      !this.#s.canEverServe(requirement)
    ) {
      this.#s.lifecycle.noCapableAgent(record);
      return;
    }
    const entry = this.#entry(record);
    // Queue first, then let a free agent take the best task it can run: a slot freed in
    // this same step may be owed to a queued task of higher priority than this one.
    this.scheduler.enqueue(entry);
    if (this.#paused) return;
    // The free agent may take a better task than this one: then the next free agent tries.
    // An agent offered twice in a row took nothing more, so nothing more will change.
    let last: string | undefined;
    while (this.scheduler.isQueued(entry.taskId)) {
      const agentId = this.scheduler.freeAgentFor(requirement, entry.qos);
      if (agentId === undefined || agentId === last) return;
      last = agentId;
      this.#dispatchOn(agentId);
    }
  }

  #entry(record: TaskRecord): ReadyEntry {
    return readyEntry(record, this.#s.clock.now(), this.#s.scheduling.qos, this.#s.qos?.times);
  }

  #dispatchOn(agentId: string): void {
    const agent = this.#s.agents.get(agentId);
    if (agent) this.dispatch(agent);
  }

  #run(record: TaskRecord, agentId: string): void {
    const { agents, lifecycle, clock } = this.#s;
    const agent = agents.get(agentId);
    if (agent && !agent.gone && record.actor) {
      this.#attempts.run(record, agent, record.actor);
      return;
    }
    // A previous run's attempt (recovered from a store) holds its lease until it expires.
    const until = record.leaseUntil;
    record.leaseUntil = undefined;
    if (until === undefined || until <= clock.now()) {
      lifecycle.agentLost(record, agentId);
      return;
    }
    clock.setTimeout(() => lifecycle.agentLost(record, agentId), until - clock.now());
  }

  #online(agent: BoundAgent): void {
    const { declaration } = agent.plan;
    const slots = declaration.concurrency ?? 1;
    this.scheduler.addAgent({
      id: agent.agentId,
      capabilities: new Set(declaration.capabilities ?? []),
      limits: declaration.resources ?? {},
      slots,
    });
    this.#s.agentOnline?.(agent.agentId, slots);
    this.dispatch(agent);
  }

  /** The attempt ended: its slot is free, its outcome goes to the task's machine, then the next task. */
  #ended(attempt: Attempt, agent: BoundAgent, end: AttemptEnd): void {
    const { lifecycle } = this.#s;
    if (end.kind !== 'aborted')
      this.#s.attemptEnded?.(attempt, agent.agentId, end.kind === 'output');
    if (!agent.gone) {
      if (end.kind === 'output') agent.consecutiveRestarts = 0;
      this.scheduler.release(agent.agentId, attempt.requirement);
      // Released in the agent's machine at the next dispatch: handed over to the next task.
      this.#flushRelease(agent);
      agent.pendingRelease = attempt.taskId;
    }
    // The outcome first (dependents may become ready), then the slot goes to the best waiting.
    if (end.kind === 'output') lifecycle.complete(attempt, end.value);
    else if (end.kind === 'failure') lifecycle.fail(attempt, end.error, end.retryable);
    this.dispatch(agent);
  }

  /** A task reserved on the agent ended before it started: the slot goes back. */
  #unreserve(agentId: string, record: TaskRecord): void {
    const agent = this.#s.agents.get(agentId);
    if (!agent || agent.gone) return;
    this.scheduler.release(agentId, record.requirement);
    releaseSlot(agent, record.task.id, this.#s.clock.now());
    this.dispatch(agent);
  }

  #lost(agent: BoundAgent, held: readonly string[], reason: string, cause: LossCause): void {
    const { agentId } = agent;
    this.scheduler.removeAgent(agentId);
    const { book, lifecycle } = this.#s;
    for (const taskId of held) {
      const record = book.get(taskId);
      if (!record) continue;
      const attempt = record.attempt;
      if (attempt?.agentId === agentId && !attempt.settled)
        this.#attempts.abandon(attempt, `agent ${agentId} lost: ${reason}`);
      if (cause === 'shutdown') lifecycle.interrupt(record, agentId, reason);
      else lifecycle.agentLost(record, agentId);
    }
  }

  /** Releases in the agent's machine a task no dispatch handed over. */
  #flushRelease(agent: BoundAgent): void {
    const taskId = agent.pendingRelease;
    if (taskId === undefined) return;
    agent.pendingRelease = undefined;
    releaseSlot(agent, taskId, this.#s.clock.now());
  }
}
