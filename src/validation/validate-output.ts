// A handler's output counts only once it passes the task's Standard Schema, if any. Most
// schemas validate synchronously, and most tasks have none: that path allocates no Promise.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { show } from './field-checks.js';

export interface OutputIssue {
  readonly message: string;
  /** Where in the output, as plain keys (Standard Schema's `{ key }` segments unwrapped). */
  readonly path?: readonly PropertyKey[];
}

export type OutputCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly OutputIssue[] };

/**
 * The check, synchronously when the schema validates synchronously (the common case),
 * else a Promise of it. Never throws nor rejects: a schema that throws fails the output
 * with the error's message as its issue.
 */
export function checkOutput(
  schema: StandardSchemaV1 | undefined,
  value: unknown,
): OutputCheck | Promise<OutputCheck> {
  if (!schema) return { ok: true, value };
  let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
  try {
    result = schema['~standard'].validate(value);
  } catch (error) {
    return thrown(error);
  }
  return isPromiseLike(result) ? Promise.resolve(result).then(toCheck, thrown) : toCheck(result);
}

/** The check, always as a Promise. */
export async function validateOutput(
  schema: StandardSchemaV1 | undefined,
  value: unknown,
): Promise<OutputCheck> {
  return checkOutput(schema, value);
}

/**
 * The check when it can be had synchronously; undefined when the schema validates
 * asynchronously, and the caller then awaits `validateOutput`, which validates again.
 * Where that second run matters, use `checkOutput`, which hands over the pending check.
 */
export function validateOutputSync(
  schema: StandardSchemaV1 | undefined,
  value: unknown,
): OutputCheck | undefined {
  const check = checkOutput(schema, value);
  return isPromiseLike(check) ? undefined : check;
}

function toCheck(result: StandardSchemaV1.Result<unknown>): OutputCheck {
  // A broken schema that returns nothing must not pass every output.
  if (typeof result !== 'object' || result === null)
    return failed('output schema returned no result');
  // The spec counts any falsy `issues` as success, not only a missing one.
  if (!result.issues) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((issue) =>
      issue.path
        ? { message: issue.message, path: issue.path.map(plainKey) }
        : { message: issue.message },
    ),
  };
}

const plainKey = (segment: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey =>
  typeof segment === 'object' ? segment.key : segment;

const failed = (message: string): OutputCheck => ({ ok: false, issues: [{ message }] });

const thrown = (error: unknown): OutputCheck =>
  failed(`output schema threw: ${error instanceof Error ? error.message : show(error)}`);

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
