// The demo's `io` agent, run in a worker thread: it waits out its (scaled) work time, and
// the one task marked to hang spins in a busy loop on its first attempt, so its thread
// stops heartbeating and the supervisor must kill and restart it.
import type { HandlerContext } from '../agents/agent-declaration.js';

export interface IoInput {
  /** Real milliseconds of work. */
  readonly workMs: number;
  /** Spin forever on the first attempt. */
  readonly hang: boolean;
}

export default async function fetchPage(input: IoInput, ctx: HandlerContext) {
  if (input.hang && ctx.attempt === 1) for (;;) {} // a busy loop: no await, no heartbeat
  await new Promise((resolve) => setTimeout(resolve, input.workMs));
  return { by: ctx.agentId, attempt: ctx.attempt };
}
