// The tools a handler calls, `ctx.tools.search(input)`: untyped by default (`ToolBox`), or
// typed from the system's tool declarations with `HandlerContext<ToolCalls<typeof tools>>`.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ToolDeclarations } from './tool-declaration.js';

/**
 * One tool as a handler calls it. Compared bivariantly (declared through a method), so a
 * typed `ToolCalls` fits where a `ToolBox` is expected.
 */
export type ToolCall = { call(input: unknown): Promise<unknown> }['call'];

/** `ctx.tools` untyped: every tool the agent was granted, by name. */
export interface ToolBox {
  readonly [name: string]: ToolCall;
}

/**
 * `ctx.tools` typed from a record of tool declarations: each takes its input schema's
 * input and resolves to its output schema's output.
 *
 * @example
 * handler: async (input: { topic: string }, ctx: HandlerContext<ToolCalls<typeof tools>>) =>
 *   ctx.tools.search({ q: input.topic }),
 */
export type ToolCalls<Tools extends ToolDeclarations> = {
  readonly [Name in keyof Tools]: (
    input: StandardSchemaV1.InferInput<Tools[Name]['input']>,
  ) => Promise<StandardSchemaV1.InferOutput<Tools[Name]['output']>>;
};
