// The slots of one agent, as its machine counts them. The machine holds slot tokens
// (`slot-0`, `slot-1`, ... reused, never more than the agent's concurrency), not task ids:
// when the task that just ended hands its slot to the next one with the same resources,
// the machine's record would not change, so the machine need not hear of it ("quiet
// slots"). It hears a slot filling (`task.assign`) or emptying (`task.release`), and a
// handover only when the resources held change. This table maps tokens to the task that
// holds each, so what the machine names (held slots) reads back as task ids, at O(1) per
// task whatever the agent's concurrency.
import type { Resources } from '../../machines/resources.js';

interface Slot {
  readonly token: string;
  taskId: string;
  resources: Resources;
}

const sameResources = (a: Resources, b: Resources): boolean => {
  let count = 0;
  for (const key in a) {
    if (a[key] !== b[key]) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
};

const NO_SLOTS: ReadonlyMap<string, Slot> = new Map();

export class AgentSlots {
  // Made on the first task: an idle agent (10,000 of them, say) holds no tables.
  #byTask: Map<string, Slot> | undefined;
  #byToken: Map<string, Slot> | undefined;
  #free: string[] | undefined;
  #next = 0;

  /** A free slot for `taskId`: the token to name in `task.assign`. */
  take(taskId: string, resources: Resources): string {
    this.#byTask ??= new Map();
    this.#byToken ??= new Map();
    const token = this.#free?.pop() ?? `slot-${this.#next++}`;
    const slot: Slot = { token, taskId, resources };
    this.#byTask.set(taskId, slot);
    this.#byToken.set(token, slot);
    return token;
  }

  /**
   * The slot of `fromTaskId` passes to `taskId`. `quiet` when the resources held do not
   * change: the machine's record would read the same afterwards. Undefined when
   * `fromTaskId` holds no slot.
   */
  handOver(
    fromTaskId: string,
    taskId: string,
    resources: Resources,
  ): { readonly token: string; readonly quiet: boolean } | undefined {
    const byTask = this.#byTask;
    const slot = byTask?.get(fromTaskId);
    if (!byTask || !slot) return undefined;
    byTask.delete(fromTaskId);
    const quiet = sameResources(slot.resources, resources);
    slot.taskId = taskId;
    slot.resources = resources;
    byTask.set(taskId, slot);
    return { token: slot.token, quiet };
  }

  /** Whether `taskId` holds a slot (a late attempt may, while its retry waits). */
  holds(taskId: string): boolean {
    return this.#byTask?.has(taskId) ?? false;
  }

  /** The task's slot is free again; returns its token (undefined if it held none). */
  release(taskId: string): string | undefined {
    const slot = this.#byTask?.get(taskId);
    if (!slot) return undefined;
    this.#byTask?.delete(taskId);
    this.#byToken?.delete(slot.token);
    this.#free ??= [];
    this.#free.push(slot.token);
    return slot.token;
  }

  /** The task holding the slot `token` names (the token itself if none does). */
  taskOf(token: string): string {
    return (this.#byToken ?? NO_SLOTS).get(token)?.taskId ?? token;
  }

  /** The tasks behind tokens the machine names, in the machine's order. */
  tasksOf(tokens: readonly string[]): string[] {
    return tokens.map((token) => this.taskOf(token));
  }

  clear(): void {
    this.#byTask = undefined;
    this.#byToken = undefined;
    this.#free = undefined;
  }
}
