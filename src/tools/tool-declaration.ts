// What a user declares once on the system, `createSystem({ tools: { search: {...} } })`:
// a tool's schemas, its handler, and the limits every call to it shares, whichever agent
// makes it. Agents are granted tools by name (`tools: ['search']` in their declaration).
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { RetryPolicy } from '../../machines/retry-policy.js';

/** What a tool's handler gets besides its input. */
export interface ToolCallContext {
  /**
   * Fires when the call times out (reason ToolTimedOut) or the attempt that made it is
   * aborted (cancel, task timeout, lost agent: the attempt's own reason).
   */
  readonly signal: AbortSignal;
  /** 1 for the first run of this call; 2, 3... when `retry` runs it again. */
  readonly run: number;
}

export interface ToolDeclaration<
  Input extends StandardSchemaV1 = StandardSchemaV1,
  Output extends StandardSchemaV1 = StandardSchemaV1,
> {
  /** Standard Schema (zod, valibot, arktype...) every call's input must pass; the handler gets its output. */
  readonly input: Input;
  /** Standard Schema the handler's value must pass; the caller gets its output. */
  readonly output: Output;
  /** The work: sync or async. Declared as a method so a typed handler fits an untyped record. */
  handler(
    input: StandardSchemaV1.InferOutput<Input>,
    call: ToolCallContext,
  ): StandardSchemaV1.InferInput<Output> | Promise<StandardSchemaV1.InferInput<Output>>;
  /** Time one run of the handler gets, in ms of the system clock, from its start. Default 30000. */
  readonly timeoutMs?: number;
  /** Runs in flight at most, across all agents; further calls wait, first come first served. Default unlimited. */
  readonly concurrency?: number;
  /** Runs started per second at most, as a token bucket on the system clock. Default unlimited. */
  readonly ratePerSec?: number;
  /** With `ratePerSec`: runs that may start at once after a quiet spell. Default ceil(ratePerSec). */
  readonly burst?: number;
  /**
   * With `ratePerSec`: a call that finds no token `wait`s for one (default), in turn, or is
   * refused at once with ToolRateLimited (`reject`).
   */
  readonly overRate?: 'wait' | 'reject';
  /**
   * Runs of one call in all, and the backoff between them, when the handler throws, times
   * out or returns invalid output. A NonRetryableError, refused input, a rate refusal or an
   * aborted attempt end the call at once. Default one run (no retry).
   */
  readonly retry?: RetryPolicy;
}

/** The `tools` option: tool declarations by name. */
export interface ToolDeclarations {
  readonly [name: string]: ToolDeclaration;
}

/**
 * A tool declaration with its handler typed from its schemas; returns it unchanged.
 *
 * @example
 * const tools = {
 *   search: defineTool({
 *     input: z.object({ q: z.string() }),
 *     output: z.array(z.string()),
 *     handler: async ({ q }, { signal }) => (await fetch(url(q), { signal })).json(),
 *     concurrency: 4,
 *     ratePerSec: 10,
 *   }),
 * };
 */
export function defineTool<Input extends StandardSchemaV1, Output extends StandardSchemaV1>(
  declaration: ToolDeclaration<Input, Output>,
): ToolDeclaration<Input, Output> {
  return declaration;
}
