// The supervisor-agent protocol across a thread or process boundary: versioned,
// serializable messages, checked on arrival on both ends. A message that does not check
// is a ProtocolError naming what was wrong, and fails the agent, never the supervisor.
// A handler's tool call crosses as `tool.call` and comes back as `tool.result`: tools run
// on the supervisor's side, under its limits and the attempt's signal.
import { ProtocolError } from '../errors/index.js';

export const PROTOCOL_VERSION = 1;

/** Supervisor to agent. */
export type ToAgent =
  | {
      readonly v: 1;
      readonly type: 'run';
      readonly taskId: string;
      readonly attempt: number;
      readonly idempotencyKey?: string | undefined;
      readonly input: unknown;
    }
  | { readonly v: 1; readonly type: 'abort'; readonly taskId: string; readonly reason: string }
  /** How a `tool.call` ended: its output, or with `error` why it failed. */
  | {
      readonly v: 1;
      readonly type: 'tool.result';
      readonly taskId: string;
      readonly callId: number;
      readonly output?: unknown;
      readonly error?: WireError | undefined;
    };

/** A thrown error as it crosses the boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** An OverseerError's code, e.g. NonRetryable or AgentCrash. */
  readonly code?: string | undefined;
}

/** Agent to supervisor. */
export type FromAgent =
  | { readonly v: 1; readonly type: 'ready' }
  | { readonly v: 1; readonly type: 'heartbeat' }
  | {
      readonly v: 1;
      readonly type: 'progress';
      readonly taskId: string;
      readonly progress: number;
      readonly note?: string | undefined;
    }
  | {
      readonly v: 1;
      readonly type: 'log';
      readonly taskId: string;
      readonly message: string;
      readonly fields?: Readonly<Record<string, unknown>> | undefined;
    }
  | { readonly v: 1; readonly type: 'result'; readonly taskId: string; readonly output: unknown }
  | { readonly v: 1; readonly type: 'failure'; readonly taskId: string; readonly error: WireError }
  /** A handler called `ctx.tools[tool](input)`; `callId` pairs it with its `tool.result`. */
  | {
      readonly v: 1;
      readonly type: 'tool.call';
      readonly taskId: string;
      readonly callId: number;
      readonly tool: string;
      readonly input: unknown;
    };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isCallId = (value: unknown): value is number => Number.isSafeInteger(value);
const isWireError = (value: unknown): value is WireError =>
  isRecord(value) && isString(value.name) && isString(value.message);

/** A thrown value as it crosses the boundary: an Error's name, message and code, else its JSON. */
export function wireError(error: unknown): WireError {
  return error instanceof Error
    ? {
        name: error.name,
        message: error.message,
        code: (error as { code?: unknown }).code as string | undefined,
      }
    : { name: 'Thrown', message: jsonOf(error) };
}

/** A thrown non-Error's JSON (its String() is `[object Object]`), or its String() without one. */
function jsonOf(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

/** The message if it is a valid agent-to-supervisor message, else why not. */
export function readFromAgent(message: unknown): FromAgent | string {
  if (!isRecord(message)) return `expected a message object, got ${typeof message}`;
  if (message.v !== PROTOCOL_VERSION)
    return `protocol version ${String(message.v)}, expected ${PROTOCOL_VERSION}`;
  switch (message.type) {
    case 'ready':
    case 'heartbeat':
      return message as FromAgent;
    case 'progress':
      if (!isString(message.taskId)) return 'progress without a taskId';
      if (typeof message.progress !== 'number' || !Number.isFinite(message.progress))
        return 'progress must be a finite number';
      if (message.note !== undefined && !isString(message.note)) return 'note must be a string';
      return message as FromAgent;
    case 'log':
      if (!isString(message.taskId) || !isString(message.message))
        return 'log needs a taskId and a message string';
      if (message.fields !== undefined && !isRecord(message.fields))
        return 'log fields must be an object';
      return message as FromAgent;
    case 'result':
      if (!isString(message.taskId)) return 'result without a taskId';
      return message as FromAgent;
    case 'failure':
      if (!isString(message.taskId)) return 'failure without a taskId';
      if (!isWireError(message.error)) return 'failure needs an error with a name and a message';
      return message as FromAgent;
    case 'tool.call':
      if (!isString(message.taskId) || !isCallId(message.callId) || !isString(message.tool))
        return 'tool.call needs a taskId, an integer callId and a tool name';
      return message as FromAgent;
    default:
      return `unknown message type ${JSON.stringify(message.type)}`;
  }
}

/** The message if it is valid, else the typed error that fails the agent that sent it. */
export function checkFromAgent(agentId: string, raw: unknown): FromAgent | ProtocolError {
  const read = readFromAgent(raw);
  return typeof read === 'string' ? new ProtocolError(agentId, read) : read;
}

/** The message if it is a valid supervisor-to-agent message, else why not. */
export function readToAgent(message: unknown): ToAgent | string {
  if (!isRecord(message)) return `expected a message object, got ${typeof message}`;
  if (message.v !== PROTOCOL_VERSION)
    return `protocol version ${String(message.v)}, expected ${PROTOCOL_VERSION}`;
  if (message.type === 'run') {
    if (!isString(message.taskId) || typeof message.attempt !== 'number')
      return 'run needs a taskId and an attempt number';
    return message as ToAgent;
  }
  if (message.type === 'abort') {
    if (!isString(message.taskId) || !isString(message.reason))
      return 'abort needs a taskId and a reason';
    return message as ToAgent;
  }
  if (message.type === 'tool.result') {
    if (!isString(message.taskId) || !isCallId(message.callId))
      return 'tool.result needs a taskId and an integer callId';
    if (message.error !== undefined && !isWireError(message.error))
      return 'tool.result error needs a name and a message';
    return message as ToAgent;
  }
  return `unknown message type ${JSON.stringify(message.type)}`;
}
