// A retry policy from user code: its shape is checked here (an object, known fields,
// numbers where numbers belong) before `retryPolicyProblems` does the arithmetic checks,
// because that function compares with `>=` and prints with `String()`, and both throw on
// a symbol or on an object without a usable `toString`.
import { type RetryPolicy, retryPolicyProblems } from '../../machines/retry-policy.js';
import { type FieldProblem, isRecord, show, unknownKeys } from './field-checks.js';

const POLICY_FIELDS = new Set(['maxAttempts', 'backoff']);
// A Map, not an object literal, so a `kind` of "toString" finds nothing on a prototype.
const BACKOFF_FIELDS: ReadonlyMap<unknown, readonly string[]> = new Map([
  ['fixed', ['delayMs']],
  ['exponential', ['initialDelayMs', 'factor', 'maxDelayMs', 'jitter']],
]);

/** Every problem with `value` as a retry policy at `path`, first offending field first. */
export function retryPolicyFieldProblems(value: unknown, path: string): FieldProblem[] {
  if (!isRecord(value))
    return [{ field: path, problem: `must be a retry policy object, got ${show(value)}` }];
  const problems = [
    ...unknownKeys(value, POLICY_FIELDS, path, 'a retry policy'),
    ...notNumbers(value, ['maxAttempts'], path),
  ];
  const backoff = value.backoff;
  const fields = isRecord(backoff) ? BACKOFF_FIELDS.get(backoff.kind) : undefined;
  if (!isRecord(backoff)) {
    problems.push({ field: `${path}.backoff`, problem: `must be an object, got ${show(backoff)}` });
  } else if (fields === undefined) {
    problems.push({
      field: `${path}.backoff.kind`,
      problem: `must be 'fixed' or 'exponential', got ${show(backoff.kind)}`,
    });
  } else {
    problems.push(
      ...unknownKeys(backoff, new Set(['kind', ...fields]), `${path}.backoff`, 'a backoff'),
      ...notNumbers(backoff, fields, `${path}.backoff`),
    );
  }
  if (problems.length > 0) return problems;
  return retryPolicyProblems(value as unknown as RetryPolicy, path).map(splitField);
}

/** Every problem with `value` as a backoff at `path`, e.g. a system's `restartBackoff`. */
export function backoffFieldProblems(value: unknown, path: string): FieldProblem[] {
  // Checked as the backoff of a policy that is otherwise valid, then named by its own path.
  const inPolicy = `${path}.backoff`;
  return retryPolicyFieldProblems({ maxAttempts: 1, backoff: value }, path).map(
    ({ field, problem }) => ({
      field: field.startsWith(inPolicy) ? path + field.slice(inPolicy.length) : field,
      problem,
    }),
  );
}

/** Present fields that are not numbers; missing ones are left to `retryPolicyProblems`. */
function notNumbers(
  record: Record<string, unknown>,
  fields: readonly string[],
  path: string,
): FieldProblem[] {
  return fields
    .filter((field) => record[field] !== undefined && typeof record[field] !== 'number')
    .map((field) => ({
      field: `${path}.${field}`,
      problem: `must be a number, got ${show(record[field])}`,
    }));
}

// `retryPolicyProblems` writes "<path> <problem>"; the path never holds a space.
function splitField(sentence: string): FieldProblem {
  const space = sentence.indexOf(' ');
  return { field: sentence.slice(0, space), problem: sentence.slice(space + 1) };
}
