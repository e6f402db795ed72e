// One attempt of a task on an agent, from the handler's call until it settles. The task's
// machine may move on first (timeout, cancel, lost agent): then the attempt is aborted and
// its late result ignored, but it still holds its agent slot until the handler settles or
// is abandoned, because a handler that ignores its signal is still using the agent.
import type { Requirement } from '../scheduling/requirement.js';

export class Attempt {
  readonly controller = new AbortController();
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
}
