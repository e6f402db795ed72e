// A tool declaration with its defaults applied, and the gate its calls share.
import type { RetryPolicy } from '../../machines/retry-policy.js';
import type { SystemClock } from '../core/clock.js';
import { TokenBucket } from './token-bucket.js';
import type { ToolDeclaration } from './tool-declaration.js';
import { ToolGate } from './tool-gate.js';

/** One run, no retry: a tool that should retry says so. */
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } };
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

export interface ResolvedTool {
  readonly name: string;
  readonly declaration: ToolDeclaration;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly gate: ToolGate;
}

export function resolveTool(
  name: string,
  declaration: ToolDeclaration,
  clock: SystemClock,
): ResolvedTool {
  const { ratePerSec } = declaration;
  const bucket =
    ratePerSec === undefined
      ? undefined
      : new TokenBucket(ratePerSec, declaration.burst ?? Math.ceil(ratePerSec), clock.now());
  return {
    name,
    declaration,
    timeoutMs: declaration.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    retry: declaration.retry ?? NO_RETRY,
    gate: new ToolGate({
      tool: name,
      concurrency: declaration.concurrency ?? Number.POSITIVE_INFINITY,
      bucket,
      overRate: declaration.overRate ?? 'wait',
      clock,
    }),
  };
}
