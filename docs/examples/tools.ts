// Tools declared once on the system, granted to agents by name, called from handlers with
// their schemas' types; a call to a tool the agent was not granted fails with ToolNotGranted.
import {
  createSystem,
  defineTool,
  type HandlerContext,
  type ToolCalls,
  ToolNotGranted,
} from 'overseer';
import { z } from 'zod';

const index = ['otters hold hands', 'otters use tools', 'sea otters eat urchins'];

const tools = {
  search: defineTool({
    input: z.object({ q: z.string().min(1), limit: z.number().int().default(2) }),
    output: z.array(z.string()),
    // `limit` is a number here: the handler gets the schema's output, defaults applied.
    handler: async ({ q, limit }, { signal }) => {
      signal.throwIfAborted();
      return index.filter((line) => line.includes(q)).slice(0, limit);
    },
    timeoutMs: 2_000, // per run of the handler
    concurrency: 4, // runs in flight across all agents
    ratePerSec: 50, // starts per second; a call over the rate waits its turn
    retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
  }),
  publish: defineTool({
    input: z.string(),
    output: z.object({ url: z.string() }),
    handler: (text) => ({ url: `https://example.com/posts/${text.length}` }),
  }),
};
type Ctx = HandlerContext<ToolCalls<typeof tools>>;

const system = createSystem({
  tools,
  agents: [
    {
      id: 'researcher',
      capabilities: ['research'],
      tools: ['search'],
      handler: async (topic: string, ctx: Ctx) => ctx.tools.search({ q: topic }),
    },
    {
      id: 'writer',
      capabilities: ['write'],
      tools: ['search'], // not `publish`
      handler: async (text: string, ctx: Ctx) =>
        ctx.tools.publish(text).catch((error: unknown) => {
          if (error instanceof ToolNotGranted) return error.message;
          throw error;
        }),
    },
  ],
}).start();

const research = await system.submit({ type: 'r', input: 'otters', capabilities: ['research'] });
const post = await system.submit({ type: 'w', input: 'hello', capabilities: ['write'] });
export const found = await research.result(); // ['otters hold hands', 'otters use tools']
export const refused = await post.result(); // agent writer was not granted tool "publish"; it has search
export const searchCalls = system.metrics().tools.search?.calls; // { ok: 1, ... }
await system.stop();
