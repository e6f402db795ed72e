// The scheduler: which ready task runs on which agent. Ready tasks wait in one heap per
// requirement class; for each class it also keeps a heap of the agents that could serve
// it and have a free slot, ordered by the pick policy. Every decision is O(log n) in
// queued tasks (times the few classes an agent serves), never a scan of the queue.
import { slotCost } from '../../machines/fair-share.js';
import type { ClassBacklog } from '../../machines/finish-prediction.js';
import type { QosOptions } from '../../machines/qos-classes.js';
import {
  addResources,
  type Resources,
  resourcesFit,
  subtractResources,
} from '../../machines/resources.js';
import {
  type AgentBook,
  agentPick,
  type RequirementClass,
  type SchedulerAgent,
} from './agent-book.js';
import { ClassShares } from './class-shares.js';
import { IndexedHeap, OwnPositions } from './indexed-heap.js';
import { agentCanEverServe, type Requirement, requirementKey } from './requirement.js';
import { dueFirst, type ReadyEntry, type TaskOrder, taskOrder } from './task-order.js';

export type { SchedulerAgent } from './agent-book.js';
export type { ReadyEntry, TaskOrder } from './task-order.js';

export interface SchedulerOptions {
  /** Order of ready tasks. Default `priority`. */
  readonly order?: TaskOrder;
  /** Under `priority`, one level gained per this many ms waited. Default: no aging. */
  readonly agingMs?: number;
  /** Which fitting agent gets a task. Default `least-loaded`. */
  readonly agentPick?: 'least-loaded' | 'round-robin';
  /**
   * QoS classes: slots are shared between classes by weight (machines/fair-share.ts), and
   * within a class tasks leave earliest due first (`ReadyEntry.dueAt`), not by `order`.
   */
  readonly qos?: QosOptions;
  /** With QoS classes: a class has nothing queued any more. */
  readonly classEmptied?: (qos: string) => void;
}

export class Scheduler {
  readonly #before: (a: ReadyEntry, b: ReadyEntry) => boolean;
  readonly #agentBefore: (a: AgentBook, b: AgentBook) => boolean;
  readonly #classes = new Map<string, RequirementClass>();
  readonly #agents = new Map<string, AgentBook>();
  readonly #queued = new Map<string, { entry: ReadyEntry; cls: RequirementClass }>();
  #assignments = 0;
  readonly #qos: QosOptions | undefined;
  /** Per QoS class: fair share, backlog and order (with classes only). */
  readonly #shares: ClassShares | undefined;
  /** Slots of every agent known, at their current limits. */
  #slots = 0;

  constructor(options: SchedulerOptions = {}) {
    this.#qos = options.qos;
    this.#shares = options.qos ? new ClassShares(options.qos, options.classEmptied) : undefined;
    this.#before = options.qos ? dueFirst : taskOrder(options.order ?? 'priority', options.agingMs);
    this.#agentBefore = agentPick(options.agentPick ?? 'least-loaded');
  }

  /** Agent slots to share, at the agents' current limits. */
  get slots(): number {
    return this.#slots;
  }

  /** Queued work per QoS class (empty without classes); live. */
  get backlogs(): ReadonlyMap<string, ClassBacklog> {
    return this.#shares?.backlogs ?? new Map();
  }

  /** Queued tasks of a QoS class. */
  queuedIn(qos: string): number {
    return this.#shares?.queuedIn(qos) ?? 0;
  }

  /** A QoS class serves its freshest work first (overloaded) or earliest due first. */
  setFreshestFirst(qos: string, on: boolean): void {
    if (!this.#shares?.setFreshestFirst(qos, on)) return;
    const order = this.#shares.orderOf(qos);
    for (const cls of this.#classes.values()) if (cls.qos === qos) cls.tasks.reorder(order);
  }

  /** Takes out the queued tasks of a QoS class that `expired` says can no longer make it. */
  sweep(qos: string, expired: (entry: ReadyEntry) => boolean): ReadyEntry[] {
    const taken: ReadyEntry[] = [];
    for (const cls of this.#classes.values()) {
      if (cls.qos !== qos) continue;
      for (const entry of cls.tasks.values()) {
        if (!expired(entry)) continue;
        cls.tasks.remove(entry);
        this.#dequeued(entry, cls);
        taken.push(entry);
      }
    }
    return taken;
  }

  /**
   * How many slots the agent may hold from now on (its adaptive limit; 0 while its breaker
   * is open), at most its declared slots. What it holds beyond runs on; nothing new starts.
   */
  limit(agentId: string, limit: number): void {
    const book = this.#agents.get(agentId);
    if (!book) return;
    const next = Math.max(0, Math.min(book.agent.slots, Math.floor(limit)));
    this.#slots += next - book.limit;
    book.limit = next;
    for (const cls of book.classes) {
      if (book.held < next) cls.free.push(book);
      else cls.free.remove(book);
    }
  }

  get readyCount(): number {
    return this.#queued.size;
  }

  isQueued(taskId: string): boolean {
    return this.#queued.has(taskId);
  }

  hasAgent(agentId: string): boolean {
    return this.#agents.has(agentId);
  }

  load(agentId: string): { held: number; inUse: Resources } | undefined {
    const book = this.#agents.get(agentId);
    return book && { held: book.held, inUse: book.inUse };
  }

  addAgent(agent: SchedulerAgent): void {
    if (this.#agents.has(agent.id)) this.removeAgent(agent.id);
    const book: AgentBook = {
      agent,
      limit: agent.slots,
      held: 0,
      inUse: {},
      lastAssigned: 0,
      classes: new Set(),
    };
    this.#agents.set(agent.id, book);
    this.#slots += book.limit;
    for (const cls of this.#classes.values()) this.#attach(book, cls);
  }

  /** Forget the agent; what it held is the caller's to reschedule. */
  removeAgent(agentId: string): void {
    const book = this.#agents.get(agentId);
    if (!book) return;
    for (const cls of book.classes) cls.free.remove(book);
    this.#agents.delete(agentId);
    this.#slots -= book.limit;
  }

  /**
   * A free agent that could run such a task now, by the pick policy; nothing is reserved.
   * The caller then hands that agent its best queued task with `nextFor`, so a new task
   * never takes a slot owed to a queued task of higher priority.
   */
  freeAgentFor(requirement: Requirement, qos?: string): string | undefined {
    const cls = this.#classFor(requirement, qos);
    const skipped: AgentBook[] = [];
    let found: AgentBook | undefined;
    for (let book = cls.free.pop(); book; book = cls.free.pop()) {
      skipped.push(book);
      if (resourcesFit(book.agent.limits, book.inUse, cls.requirement.resources)) {
        found = book;
        break;
      }
    }
    for (const book of skipped) cls.free.push(book);
    return found?.agent.id;
  }

  /** Queues a ready task; a task queued already keeps its place. */
  enqueue(entry: ReadyEntry): void {
    if (this.#queued.has(entry.taskId)) return;
    const cls = this.#classFor(entry.requirement, entry.qos);
    cls.tasks.push(entry);
    this.#queued.set(entry.taskId, { entry, cls });
    if (cls.qos !== undefined) this.#shares?.queued(entry, cls.qos);
  }

  /** Takes out every queued task whose requirement `canServe` says no agent can ever meet. */
  takeUnservable(canServe: (requirement: Requirement) => boolean): ReadyEntry[] {
    const taken: ReadyEntry[] = [];
    for (const cls of this.#classes.values()) {
      if (cls.tasks.size === 0 || canServe(cls.requirement)) continue;
      for (let entry = cls.tasks.pop(); entry; entry = cls.tasks.pop()) {
        this.#dequeued(entry, cls);
        taken.push(entry);
      }
    }
    return taken;
  }

  /** Take a queued task out (cancelled, deadline passed). */
  remove(taskId: string): boolean {
    const queued = this.#queued.get(taskId);
    if (!queued) return false;
    queued.cls.tasks.remove(queued.entry);
    this.#dequeued(queued.entry, queued.cls);
    return true;
  }

  /** The agent has a free slot: reserve and return the best queued task it can run now. */
  nextFor(agentId: string): ReadyEntry | undefined {
    const book = this.#agents.get(agentId);
    if (!book || book.held >= book.limit) return undefined;
    let best: RequirementClass | undefined;
    for (const cls of book.classes) {
      const head = cls.tasks.peek();
      if (!head || !resourcesFit(book.agent.limits, book.inUse, cls.requirement.resources))
        continue;
      if (!best || this.#servedBefore(cls, head, best)) best = cls;
    }
    const entry = best?.tasks.pop();
    if (!best || !entry) return undefined;
    this.#dequeued(entry, best);
    if (best.qos !== undefined) {
      const { resources } = best.requirement;
      this.#shares?.charge(best.qos, slotCost(resources, book.agent.limits, book.agent.slots));
    }
    this.#reserve(book, best.requirement);
    return entry;
  }

  /** A task that held a slot on the agent ended. */
  release(agentId: string, requirement: Requirement): void {
    const book = this.#agents.get(agentId);
    if (!book || book.held === 0) return;
    book.held--;
    book.inUse = subtractResources(book.inUse, requirement.resources);
    if (book.held < book.limit) for (const cls of book.classes) cls.free.push(book);
  }

  #reserve(book: AgentBook, requirement: Requirement): void {
    book.held++;
    book.inUse = addResources(book.inUse, requirement.resources);
    book.lastAssigned = ++this.#assignments;
    const full = book.held >= book.limit;
    for (const cls of book.classes) {
      if (full) cls.free.remove(book);
      else cls.free.update(book);
    }
  }

  /** Whether `cls` (whose head is `head`) is served before `best`: fair share, then order. */
  #servedBefore(cls: RequirementClass, head: ReadyEntry, best: RequirementClass): boolean {
    if (cls.qos !== best.qos && cls.qos !== undefined && best.qos !== undefined) {
      const first = this.#shares?.servedBefore(cls.qos, best.qos);
      if (first !== undefined) return first;
    }
    const bestHead = best.tasks.peek();
    return bestHead === undefined || this.#before(head, bestHead);
  }

  #dequeued(entry: ReadyEntry, cls: RequirementClass): void {
    this.#queued.delete(entry.taskId);
    if (cls.qos !== undefined) this.#shares?.dequeued(entry, cls.qos);
  }

  #classFor(requirement: Requirement, qos?: string): RequirementClass {
    const inClass = this.#qos ? (qos ?? this.#qos.default) : undefined;
    const key =
      inClass === undefined
        ? requirementKey(requirement)
        : `${requirementKey(requirement)}\u0000${inClass}`;
    let cls = this.#classes.get(key);
    if (!cls) {
      cls = {
        requirement,
        qos: inClass,
        tasks: new IndexedHeap(
          inClass === undefined || !this.#shares ? this.#before : this.#shares.orderOf(inClass),
          new OwnPositions<ReadyEntry>(),
        ),
        free: new IndexedHeap(this.#agentBefore),
      };
      this.#classes.set(key, cls);
      // A new kind of task: the one scan of agents it costs, ever.
      for (const book of this.#agents.values()) this.#attach(book, cls);
    }
    return cls;
  }

  #attach(book: AgentBook, cls: RequirementClass): void {
    if (!agentCanEverServe(book.agent, cls.requirement)) return;
    book.classes.add(cls);
    if (book.held < book.limit) cls.free.push(book);
  }
}
