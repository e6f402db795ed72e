// The OpenAI-compatible adapter against a chat completions endpoint on loopback: what it
// sends, what it returns, how a bad reply fails, and that an aborted attempt aborts the call.
import { APIUserAbortError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { teamPlanJsonSchema } from '../../machines/team-plan.js';
import { openAiAgent, teamPlanner } from '../../src/adapters/openai-agent.js';
import type { HandlerContext } from '../../src/agents/agent-declaration.js';
import { ModelReplyInvalid } from '../../src/errors/index.js';
import { createSystem, runTeam } from '../../src/index.js';
import { type ChatReply, type ChatServer, startChatServer } from './chat-server.js';

const servers: ChatServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function endpoint(reply: (body: Record<string, unknown>) => ChatReply) {
  const server = await startChatServer(reply);
  servers.push(server);
  return server;
}

/** What a handler gets from the runtime, with the attempt's signal. */
function context(signal = new AbortController().signal): HandlerContext {
  return {
    taskId: 't1',
    agentId: 'model-1',
    attempt: 1,
    idempotencyKey: undefined,
    signal,
    progress: () => {},
    heartbeat: () => {},
    log: () => {},
    tools: {},
  };
}

const citySchema = {
  name: 'city',
  jsonSchema: {
    type: 'object',
    required: ['city', 'country'],
    additionalProperties: false,
    properties: { city: { type: 'string' }, country: { type: 'string' } },
  },
};

describe('openAiAgent', () => {
  it('sends the model, the system and user messages and the schema as structured output', async () => {
    const server = await endpoint(() => ({ content: '{"city":"Lisbon","country":"PT"}' }));
    const agent = openAiAgent({
      baseURL: server.baseURL,
      model: 'llama3.1',
      system: 'You answer with places.',
      prompt: (input: { q: string }) => `Where is ${input.q}?`,
      schema: citySchema,
      temperature: 0,
    });
    await agent({ q: 'the Tagus estuary' }, context());
    expect(server.requests).toEqual([
      {
        model: 'llama3.1',
        messages: [
          { role: 'system', content: 'You answer with places.' },
          { role: 'user', content: 'Where is the Tagus estuary?' },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'city', schema: citySchema.jsonSchema, strict: true },
        },
        temperature: 0,
      },
    ]);
  });

  it('returns the reply parsed from JSON', async () => {
    const server = await endpoint(() => ({ content: '{"city":"Lisbon","country":"PT"}' }));
    const agent = openAiAgent({ baseURL: server.baseURL, model: 'm', prompt: () => 'JSON please' });
    await expect(agent(undefined, context())).resolves.toEqual({ city: 'Lisbon', country: 'PT' });
    // Without a schema, the endpoint is asked for a JSON object.
    expect(server.requests[0]?.response_format).toEqual({ type: 'json_object' });
  });

  it('takes a whole conversation from the prompt, and JSON in a Markdown fence', async () => {
    const server = await endpoint(() => ({ content: '```json\n{"ok":true}\n```' }));
    const agent = openAiAgent({
      baseURL: server.baseURL,
      model: 'm',
      prompt: () => [
        { role: 'user', content: 'Is it JSON?' },
        { role: 'assistant', content: '{"ok":false}' },
        { role: 'user', content: 'Again.' },
      ],
    });
    await expect(agent(undefined, context())).resolves.toEqual({ ok: true });
    expect(server.requests[0]?.messages).toHaveLength(3);
  });

  it('fails with ModelReplyInvalid, the model and an excerpt of the reply, when it is not JSON', async () => {
    const server = await endpoint(() => ({ content: 'Sure! Lisbon is in Portugal.' }));
    const agent = openAiAgent({ baseURL: server.baseURL, model: 'llama3.1', prompt: () => 'q' });
    const error = await agent(undefined, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelReplyInvalid);
    expect(error).toMatchObject({
      code: 'ModelReplyInvalid',
      model: 'llama3.1',
      problem: 'text that is not JSON',
      excerpt: 'Sure! Lisbon is in Portugal.',
    });
    expect((error as Error).message).toContain('Sure! Lisbon is in Portugal.');
  });

  it('says the JSON was cut off when the reply stopped at the token limit', async () => {
    const long = `{"text":"${'a'.repeat(500)}`;
    const server = await endpoint(() => ({ content: long, finishReason: 'length' }));
    const agent = openAiAgent({ baseURL: server.baseURL, model: 'm', prompt: () => 'q' });
    const error = await agent(undefined, context()).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'JSON cut off at the token limit' });
    // Only the start of a long reply is kept.
    expect((error as ModelReplyInvalid).excerpt).toHaveLength(203);
  });

  it('aborts the request when the attempt is aborted', async () => {
    const server = await endpoint(() => 'hang');
    const agent = openAiAgent({ baseURL: server.baseURL, model: 'm', prompt: () => 'q' });
    const attempt = new AbortController();
    const reply = agent(undefined, context(attempt.signal)).catch((e: unknown) => e);
    await expect.poll(() => server.requests.length).toBe(1);
    attempt.abort(new Error('task timed out'));
    const error = await reply;
    expect(error).toBeInstanceOf(APIUserAbortError);
    // The server saw the client hang up: the call did not run on.
    await server.hungUp;
  });
});

describe('teamPlanner', () => {
  it('asks for a plan fitting teamPlanJsonSchema, with the goal, workers and feedback', async () => {
    const plan = { steps: [{ id: 'flight', capability: 'flights' }] };
    const server = await endpoint(() => ({ content: JSON.stringify(plan) }));
    const planner = teamPlanner({ baseURL: server.baseURL, model: 'qwen2.5' });
    const input = {
      goal: 'a weekend in Lisbon',
      round: 2,
      feedback: ['steps[0].capability: no worker offers "flight"'],
      workers: ['flights', 'hotels'],
    };
    await expect(planner(input, context())).resolves.toEqual(plan);
    const body = server.requests[0] as { messages: { role: string; content: string }[] };
    expect(body).toMatchObject({
      model: 'qwen2.5',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'team_plan', schema: teamPlanJsonSchema, strict: false },
      },
    });
    const user = body.messages[1]?.content ?? '';
    expect(user).toContain('"a weekend in Lisbon"');
    expect(user).toContain('one of: flights, hotels');
    expect(user).toContain('- steps[0].capability: no worker offers "flight"');
  });

  it('plans a team run, and hears the problems of an invalid plan in the next request', async () => {
    const replies = [
      { steps: [{ id: 'flight', capability: 'flight' }] },
      { steps: [{ id: 'flight', capability: 'flights', input: { to: 'Lisbon' } }] },
    ];
    const server = await endpoint(() => ({ content: JSON.stringify(replies.shift()) }));
    const system = createSystem({
      agents: [
        {
          id: 'planner',
          capabilities: ['plan'],
          handler: teamPlanner({ baseURL: server.baseURL, model: 'm' }),
        },
        { id: 'flights', capabilities: ['flights'], handler: () => ({ price: 129 }) },
        { id: 'judge', capabilities: ['judge'], handler: () => ({ verdict: 'accept' }) },
      ],
    }).start();
    try {
      const run = runTeam(system, {
        goal: 'a weekend in Lisbon',
        planner: 'plan',
        validator: 'judge',
        workers: ['flights'],
      });
      await expect(run.result()).resolves.toMatchObject({ outputs: { flight: { price: 129 } } });
      expect(server.requests).toHaveLength(2);
      const retry = JSON.stringify(server.requests[1]?.messages);
      expect(retry).toContain('steps[0].capability');
    } finally {
      await system.stop({ timeoutMs: 0 });
    }
  });
});
