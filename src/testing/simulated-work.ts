// The handler a simulated agent runs: waits its work duration on the simulation's clock
// while heartbeating, honours its signal, and suffers whatever fault the plan hands it.

import type { HandlerContext } from '../agents/agent-declaration.js';
import type { SystemClock } from '../core/clock.js';
import { AgentCrash, NonRetryableError } from '../errors/index.js';
import type { HandlerFault } from './fault-plan.js';

export interface WorkSettings {
  readonly clock: SystemClock;
  readonly heartbeatIntervalMs: number;
  readonly slowFactor: number;
  /** Output of a normal attempt. */
  readonly output: (input: unknown, ctx: HandlerContext) => unknown;
}

/** A value no schema accepts unless it accepts anything: a symbol is not JSON. */
export const INVALID_OUTPUT = Symbol('overseer.invalidOutput');

export function simulatedWork(
  durationMs: number,
  fault: HandlerFault | undefined,
  input: unknown,
  ctx: HandlerContext,
  s: WorkSettings,
): Promise<unknown> {
  if (fault === 'throw') return Promise.reject(new Error('injected fault: handler threw'));
  if (fault === 'throw-fatal')
    return Promise.reject(new NonRetryableError('injected fault: non-retryable'));
  if (fault === 'crash') return Promise.reject(new AgentCrash('injected fault: agent crashed'));
  return new Promise((resolve, reject) => {
    const total = fault === 'slow' || fault === 'late' ? durationMs * s.slowFactor : durationMs;
    const ignoresSignal = fault === 'hang' || fault === 'silent';
    let elapsed = 0;
    let timer: unknown;
    const step = () => {
      if (fault !== 'silent') ctx.heartbeat();
      if (ignoresSignal) {
        // Never finishes: keeps (or, silent, stops) heartbeating on the clock forever.
        if (fault === 'hang') timer = s.clock.setTimeout(step, s.heartbeatIntervalMs);
        return;
      }
      if (elapsed >= total) {
        resolve(fault === 'invalid-output' ? INVALID_OUTPUT : s.output(input, ctx));
        return;
      }
      const slice = Math.min(s.heartbeatIntervalMs, total - elapsed);
      elapsed += slice;
      timer = s.clock.setTimeout(step, slice);
    };
    ctx.signal.addEventListener('abort', () => {
      // A late handler does not watch its signal: it finishes its work all the same.
      if (fault === 'late') return;
      s.clock.clearTimeout(timer);
      // A hung handler ignores the abort: it never settles, but its clock work ends.
      if (!ignoresSignal) reject(ctx.signal.reason);
    });
    step();
  });
}
