// One call of a tool, whichever agent makes it: the input checked against the tool's
// schema, a turn at the tool's gate (concurrency and rate), the handler run under its
// timeout and the calling attempt's signal, the output checked, runs repeated within the
// tool's retry policy; and one `tool.called` event when the call ends, however it ends.
import { backoffDelayMs, canRetry } from '../../machines/retry-policy.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import type { ToolOutcome } from '../core/system-events.js';
import {
  NonRetryableError,
  OverseerError,
  ToolInputInvalid,
  ToolNotGranted,
  ToolOutputInvalid,
  ToolRateLimited,
  ToolTimedOut,
} from '../errors/index.js';
import { show } from '../validation/field-checks.js';
import { checkOutput } from '../validation/validate-output.js';
import type { ResolvedTool } from './resolved-tool.js';

/** Who calls: the attempt whose handler made the call, and that attempt's signal. */
export interface ToolCaller {
  readonly agentId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
}

export interface ToolRunnerDeps {
  readonly clock: SystemClock;
  readonly events: EventStream;
  /** Samples in [0, 1) for the retry backoff's jitter. */
  readonly random: () => number;
}

/** Runs one call to `tool`; resolves to the checked output, or rejects with why not. */
export async function callTool(
  tool: ResolvedTool,
  input: unknown,
  caller: ToolCaller,
  deps: ToolRunnerDeps,
): Promise<unknown> {
  const startedAt = deps.clock.now();
  const runs = { count: 0 };
  let output: unknown;
  try {
    output = await runWithRetry(tool, input, caller, deps, runs);
  } catch (error) {
    reportToolCall(deps, tool.name, caller, startedAt, runs.count, outcomeOf(error, caller), error);
    throw error;
  }
  reportToolCall(deps, tool.name, caller, startedAt, runs.count, 'ok');
  return output;
}

async function runWithRetry(
  tool: ResolvedTool,
  input: unknown,
  caller: ToolCaller,
  deps: ToolRunnerDeps,
  runs: { count: number },
): Promise<unknown> {
  if (caller.signal.aborted) throw caller.signal.reason;
  const checked = await checkOutput(tool.declaration.input, input);
  if (!checked.ok) throw new ToolInputInvalid(tool.name, checked.issues);
  for (;;) {
    runs.count++;
    try {
      const value = await runOnce(tool, checked.value, runs.count, caller.signal, deps.clock);
      const out = await checkOutput(tool.declaration.output, value);
      if (!out.ok) throw new ToolOutputInvalid(tool.name, out.issues);
      return out.value;
    } catch (error) {
      if (!retries(error, caller.signal) || !canRetry(tool.retry, runs.count)) throw error;
      const delayMs = backoffDelayMs(tool.retry.backoff, runs.count, deps.random());
      await pause(deps.clock, delayMs, caller.signal);
    }
  }
}

/** One run of the handler, after its turn at the gate; the gate's slot is freed when it ends. */
async function runOnce(
  tool: ResolvedTool,
  input: unknown,
  run: number,
  signal: AbortSignal,
  clock: SystemClock,
): Promise<unknown> {
  await tool.gate.enter(signal);
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    let done = false;
    let timer: unknown;
    const end = (settle: () => void) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // A handler that ignores its signal past the end no longer holds a slot: one stuck
      // call must not stall every later one.
      tool.gate.leave();
      settle();
    };
    const onAbort = () => {
      controller.abort(signal.reason);
      end(() => reject(signal.reason));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    timer = clock.setTimeout(() => {
      const timedOut = new ToolTimedOut(tool.name, tool.timeoutMs);
      controller.abort(timedOut);
      end(() => reject(timedOut));
    }, tool.timeoutMs);
    let result: unknown;
    try {
      result = tool.declaration.handler(input, { signal: controller.signal, run });
    } catch (error) {
      result = Promise.reject(error);
    }
    Promise.resolve(result).then(
      (value) => end(() => resolve(value)),
      (error: unknown) => end(() => reject(error)),
    );
  });
}

/** Waits `ms` on the system clock, or until the signal fires (rejecting with its reason). */
function pause(clock: SystemClock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether another run may help: not when the caller is gone or the failure says no. */
const retries = (error: unknown, signal: AbortSignal): boolean =>
  !signal.aborted &&
  !(error instanceof NonRetryableError) &&
  !(error instanceof ToolInputInvalid) &&
  !(error instanceof ToolRateLimited);

function outcomeOf(error: unknown, caller: ToolCaller): ToolOutcome {
  if (caller.signal.aborted) return 'cancelled';
  if (error instanceof ToolTimedOut) return 'timeout';
  if (
    error instanceof ToolInputInvalid ||
    error instanceof ToolRateLimited ||
    error instanceof ToolNotGranted
  )
    return 'rejected';
  return 'error';
}

/** Publishes the call's `tool.called` event, if anyone listens. */
export function reportToolCall(
  deps: Pick<ToolRunnerDeps, 'clock' | 'events'>,
  tool: string,
  caller: ToolCaller,
  startedAt: number,
  runs: number,
  outcome: ToolOutcome,
  error?: unknown,
): void {
  if (!deps.events.wants('tool.called')) return;
  const at = deps.clock.now();
  deps.events.publish({
    type: 'tool.called',
    tool,
    agentId: caller.agentId,
    taskId: caller.taskId,
    attempt: caller.attempt,
    ms: at - startedAt,
    runs,
    outcome,
    at,
    ...(outcome === 'ok' ? {} : { error: errorOf(error) }),
  });
}

const errorOf = (error: unknown): { readonly code: string; readonly message: string } =>
  error instanceof OverseerError
    ? { code: error.code, message: error.message }
    : error instanceof Error
      ? { code: error.name, message: error.message }
      : { code: 'Thrown', message: show(error) };
