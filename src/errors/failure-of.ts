// What a value thrown by a handler means for its task: the serializable failure the task's
// machine records, and whether the task may be retried after it.
import { stringify } from 'safe-stable-stringify';
import { isFailureCode, type TaskError } from '../../machines/task-error.js';
import { NonRetryableError } from './non-retryable-error.js';
import { OverseerError } from './overseer-error.js';

/**
 * The failure a thrown value stands for. An OverseerError whose code is a FailureCode
 * (NonRetryable, AgentCrash...) keeps it; anything else is a `HandlerError`, with the
 * thrown error's `name` (and its string `code`, such as Node's `ECONNRESET`) in
 * `details`. A thrown non-Error becomes its JSON as the message, and the value itself in
 * `details.value` when it survives JSON unchanged (details are persisted and cross
 * process boundaries).
 */
export function failureOf(thrown: unknown): TaskError {
  if (thrown instanceof OverseerError && isFailureCode(thrown.code))
    return { kind: 'error', code: thrown.code, message: thrown.message };
  if (thrown instanceof Error) {
    const name = typeof thrown.name === 'string' ? thrown.name : 'Error';
    const code: unknown = (thrown as { code?: unknown }).code;
    return {
      kind: 'error',
      code: 'HandlerError',
      message: typeof thrown.message === 'string' ? thrown.message : String(thrown.message),
      details: typeof code === 'string' ? { name, code } : { name },
    };
  }
  const json = jsonOf(thrown);
  const message = typeof thrown === 'string' ? thrown : (json ?? safeString(thrown));
  if (json === undefined || !survivesJson(thrown))
    return { kind: 'error', code: 'HandlerError', message };
  // A copy read back from the JSON: later changes to the thrown value do not show.
  const value: unknown = typeof thrown === 'string' ? thrown : JSON.parse(json);
  return { kind: 'error', code: 'HandlerError', message, details: { value } };
}

/** Whether the task may be retried after an attempt threw `thrown`. */
export const isRetryable = (thrown: unknown): boolean => !(thrown instanceof NonRetryableError);

/** Its JSON, or undefined for values JSON has no text for (undefined, functions, symbols). */
function jsonOf(value: unknown): string | undefined {
  try {
    return stringify(value);
  } catch {
    // A throwing getter or toJSON: the value has no JSON we can trust.
    return undefined;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function survivesJson(value: unknown): boolean {
  try {
    return isJsonValue(value, new Set());
  } catch {
    return false; // a throwing getter
  }
}

/** Whether JSON.parse(JSON.stringify(value)) would give back an equal value. */
function isJsonValue(value: unknown, seen: Set<object>): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || seen.has(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (
    Array.isArray(value)
      ? Object.keys(value).length !== value.length
      : proto !== Object.prototype && proto !== null
  )
    return false;
  seen.add(value);
  const ok = Object.values(value).every((item) => isJsonValue(item, seen));
  seen.delete(value);
  return ok;
}
