// The system's tools: each declaration resolved once, with the gate all its calls share,
// and the `ctx.tools` object each attempt's handler calls them through: the tools its
// agent was granted, and for any other name a call that fails with ToolNotGranted.
import { ToolNotGranted } from '../errors/index.js';
import { type ResolvedTool, resolveTool } from './resolved-tool.js';
import type { ToolBox, ToolCall } from './tool-calls.js';
import type { ToolDeclarations } from './tool-declaration.js';
import { callTool, reportToolCall, type ToolCaller, type ToolRunnerDeps } from './tool-runner.js';

/** Names never treated as tool calls, so `await ctx.tools` or JSON of it stays harmless. */
const NOT_TOOLS: ReadonlySet<string> = new Set(['then', 'toJSON']);

export class ToolSet {
  readonly #tools = new Map<string, ResolvedTool>();
  readonly #deps: ToolRunnerDeps;

  constructor(declarations: ToolDeclarations, deps: ToolRunnerDeps) {
    this.#deps = deps;
    for (const [name, declaration] of Object.entries(declarations))
      this.#tools.set(name, resolveTool(name, declaration, deps.clock));
  }

  /** `ctx.tools` for one attempt of an agent granted `granted` (names the system does not declare are left out). */
  forAttempt(granted: readonly string[] | undefined, caller: ToolCaller): ToolBox {
    const calls: Record<string, ToolCall> = Object.create(null);
    for (const name of granted ?? []) {
      const tool = this.#tools.get(name);
      if (tool) calls[name] = (input: unknown) => callTool(tool, input, caller, this.#deps);
    }
    const has = Object.keys(calls);
    const refuse =
      (name: string): ToolCall =>
      () => {
        const error = new ToolNotGranted(caller.agentId, name, has);
        reportToolCall(this.#deps, name, caller, this.#deps.clock.now(), 0, 'rejected', error);
        return Promise.reject(error);
      };
    return new Proxy(calls, {
      get: (target, name) =>
        typeof name !== 'string' || name in target || NOT_TOOLS.has(name)
          ? target[name as string]
          : refuse(name),
    });
  }
}
