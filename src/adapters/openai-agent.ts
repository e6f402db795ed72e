// A handler that asks an OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, LM Studio...)
// for JSON fitting a schema. The `overseer/openai` entry point: `openai` is an optional peer
// dependency, imported here and nowhere in the core.
import OpenAI from 'openai';
import { teamPlanJsonSchema } from '../../machines/team-plan.js';
import type { HandlerContext } from '../agents/agent-declaration.js';
import { ModelReplyInvalid } from '../errors/index.js';
import { PLANNER_SYSTEM, type PlannerInput, plannerMessage } from './planner-prompt.js';

export type { PlannerInput } from './planner-prompt.js';
export { PLANNER_SYSTEM } from './planner-prompt.js';

/** One chat message, as the `openai` package types it. */
export type ChatMessage = OpenAI.Chat.ChatCompletionMessageParam;

/** The JSON Schema a reply must fit (structured output). */
export interface ModelSchema {
  /** The schema's name, as the endpoint wants it: letters, digits, `_` and `-`. */
  readonly name: string;
  readonly jsonSchema: Readonly<Record<string, unknown>>;
  /**
   * Ask the endpoint to hold the reply to the schema exactly. Default true. OpenAI's strict
   * mode takes only schemas whose every field is required; turn it off for others.
   */
  readonly strict?: boolean;
}

export interface OpenAiAgentOptions<Input = unknown> {
  /** A client of your own (headers, proxy, retries). Default: one made from `baseURL` and `apiKey`. */
  readonly client?: OpenAI;
  /** The endpoint, e.g. `http://localhost:11434/v1` (Ollama). Default: OpenAI's, or `OPENAI_BASE_URL`. */
  readonly baseURL?: string;
  /** Default `OPENAI_API_KEY`; with a `baseURL` and no key at all, a placeholder (local servers ignore it). */
  readonly apiKey?: string;
  /** The model's name at the endpoint, e.g. `gpt-4o-mini` or `llama3.1`. */
  readonly model: string;
  /** The system message, before the prompt's messages. Default none. */
  readonly system?: string;
  /** The task input as the user's message, or as the whole conversation. */
  readonly prompt: (input: Input, ctx: HandlerContext) => string | readonly ChatMessage[];
  /**
   * The schema the reply must fit. Default none: the endpoint is asked for a JSON object
   * (`json_object`), and OpenAI then wants the word "JSON" in the prompt.
   */
  readonly schema?: ModelSchema;
  /** Sampling temperature, 0 to 2. Default: the endpoint's. */
  readonly temperature?: number;
}

/** A task handler: the reply to its prompt, parsed from JSON. */
export type ModelHandler<Input = unknown> = (input: Input, ctx: HandlerContext) => Promise<unknown>;

/**
 * A handler asking a chat endpoint for JSON. The call is aborted with the attempt
 * (`ctx.signal`); a reply that is not JSON fails the attempt with ModelReplyInvalid, so the
 * task's retry policy, or a team's repair loop, takes it from there.
 *
 * @example
 * const summarize = openAiAgent({
 *   baseURL: 'http://localhost:11434/v1',
 *   model: 'llama3.1',
 *   prompt: (text: string) => `Summarize as JSON { "summary": string }: ${text}`,
 * });
 */
export function openAiAgent<Input = unknown>(
  options: OpenAiAgentOptions<Input>,
): ModelHandler<Input> {
  const client = options.client ?? clientFor(options);
  const { model, schema } = options;
  const response_format: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming['response_format'] =
    schema
      ? {
          type: 'json_schema',
          json_schema: {
            name: schema.name,
            schema: { ...schema.jsonSchema },
            strict: schema.strict ?? true,
          },
        }
      : { type: 'json_object' };
  return async (input, ctx) => {
    const messages = messagesFor(options.system, options.prompt(input, ctx));
    const completion = await client.chat.completions.create(
      {
        model,
        messages,
        response_format,
        ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      },
      { signal: ctx.signal },
    );
    return replyOf(model, completion);
  };
}

export interface TeamPlannerOptions
  extends Omit<OpenAiAgentOptions<PlannerInput>, 'prompt' | 'schema' | 'system'> {
  /** Replaces the planner's system prompt (`PLANNER_SYSTEM`). */
  readonly system?: string;
  /**
   * Send the plan schema in strict mode. Default false: the plan has optional fields and a
   * free-form `input`, which OpenAI's strict mode refuses; vLLM and Ollama take it either way.
   */
  readonly strict?: boolean;
}

/**
 * A team's planner on a chat endpoint: prompted with the goal, the workers and the feedback
 * of earlier rounds, it asks for a plan fitting `teamPlanJsonSchema`. The run still checks
 * the plan (`planProblems`) and sends it back with the problems if it is wrong.
 */
export function teamPlanner(options: TeamPlannerOptions): ModelHandler<PlannerInput> {
  const { strict = false, system = PLANNER_SYSTEM, ...rest } = options;
  return openAiAgent<PlannerInput>({
    ...rest,
    system,
    prompt: plannerMessage,
    schema: { name: 'team_plan', jsonSchema: teamPlanJsonSchema, strict },
  });
}

function clientFor(options: Pick<OpenAiAgentOptions, 'baseURL' | 'apiKey'>): OpenAI {
  const apiKey =
    options.apiKey ?? process.env.OPENAI_API_KEY ?? (options.baseURL ? 'unused' : undefined);
  // Retries are the task's retry policy's: the client making its own would hide them.
  return new OpenAI({
    maxRetries: 0,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    ...(apiKey === undefined ? {} : { apiKey }),
  });
}

function messagesFor(system: string | undefined, prompt: string | readonly ChatMessage[]) {
  const asked: ChatMessage[] =
    typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : [...prompt];
  return system === undefined ? asked : [{ role: 'system' as const, content: system }, ...asked];
}

/** The reply's JSON, or a ModelReplyInvalid saying what came instead. */
function replyOf(model: string, completion: OpenAI.Chat.ChatCompletion): unknown {
  const choice = completion.choices[0];
  if (!choice) throw new ModelReplyInvalid(model, 'no choices', JSON.stringify(completion));
  const { content, refusal } = choice.message;
  if (refusal) throw new ModelReplyInvalid(model, 'a refusal', refusal);
  if (!content)
    throw new ModelReplyInvalid(model, `no content (finish_reason ${choice.finish_reason})`, '');
  try {
    return JSON.parse(unfenced(content));
  } catch (error) {
    const problem =
      choice.finish_reason === 'length'
        ? 'JSON cut off at the token limit'
        : 'text that is not JSON';
    throw new ModelReplyInvalid(model, problem, content, { cause: error });
  }
}

// Models without structured output often wrap JSON in a Markdown fence; the JSON is still good.
function unfenced(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return fenced?.[1] ?? text;
}
