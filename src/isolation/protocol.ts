// The supervisor-agent protocol across a thread or process boundary: versioned,
// serializable messages, checked on arrival on both ends. A message that does not check
// is a ProtocolError naming what was wrong, and fails the agent, never the supervisor.
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
  | { readonly v: 1; readonly type: 'abort'; readonly taskId: string; readonly reason: string };

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
  | { readonly v: 1; readonly type: 'failure'; readonly taskId: string; readonly error: WireError };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

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
    case 'failure': {
      if (!isString(message.taskId)) return 'failure without a taskId';
      const error = message.error;
      if (!isRecord(error) || !isString(error.name) || !isString(error.message))
        return 'failure needs an error with a name and a message';
      return message as FromAgent;
    }
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
  return `unknown message type ${JSON.stringify(message.type)}`;
}
