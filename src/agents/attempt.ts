// One attempt of a task on an agent, from the handler's call until it settles. The task's
// machine may move on first (timeout, cancel, lost agent): then the attempt is aborted and
// its late result ignored, but it still holds its agent slot until the handler settles or
// is abandoned, because a handler that ignores its signal is still using the agent.
import type { Requirement } from '../scheduling/requirement.js';

export class Attempt {
  // Created on first use: most handlers never read their signal, and an AbortController
  // per attempt is a measurable share of the hot path.
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #abortRequested = false;
  #abortListeners: ((reason: unknown) => void)[] | undefined;
  settled = false;
  /** The task no longer waits for this attempt's result. */
  aborted = false;
  graceTimer: unknown;

  constructor(
    readonly taskId: string,
    readonly agentId: string,
    readonly number: number,
    readonly requirement: Requirement,
  ) {}

  /** The handler's AbortSignal; aborted already if the attempt was aborted before it was read. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#abortRequested) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /**
   * Calls `listener` once when the attempt is aborted (at once if it was already): for a
   * host that forwards the abort (to a thread, a process, a node) without a signal of its own.
   */
  onAbort(listener: (reason: unknown) => void): void {
    if (this.#abortRequested) {
      listener(this.#abortReason);
      return;
    }
    this.#abortListeners ??= [];
    this.#abortListeners.push(listener);
  }

  /** Fires the handler's signal (now, or as soon as the handler reads it). */
  abortSignal(reason: unknown): void {
    if (this.#abortRequested) return;
    this.#abortRequested = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#abortListeners;
    this.#abortListeners = undefined;
    for (const listener of listeners ?? []) listener(reason);
  }
}
