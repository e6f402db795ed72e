// The `tools` option from user code, checked before any default applies: each tool's
// fields by their path (`tools.search.ratePerSec`), an unknown field with the closest
// known one, and the options that only mean something together (`burst` needs `ratePerSec`).
import { closestName } from '../validation/closest-name.js';
import {
  type FieldCheck,
  type FieldProblem,
  integerAtLeast,
  isPlainObject,
  isRecord,
  nonEmptyString,
  oneOf,
  positiveNumber,
  show,
} from '../validation/field-checks.js';
import { retryPolicyFieldProblems } from '../validation/validate-retry-policy.js';

const standardSchema: FieldCheck = (value, field) =>
  isRecord(value) &&
  isRecord(value['~standard']) &&
  typeof value['~standard'].validate === 'function'
    ? undefined
    : {
        field,
        problem: `must be a Standard Schema (zod, valibot, arktype...), got ${show(value)}`,
      };

const CHECKS: ReadonlyMap<string, (value: unknown, field: string) => FieldProblem | undefined> =
  new Map([
    ['input', standardSchema],
    ['output', standardSchema],
    [
      'handler',
      (value, field) =>
        typeof value === 'function'
          ? undefined
          : { field, problem: `must be a function, got ${show(value)}` },
    ],
    ['timeoutMs', positiveNumber],
    ['concurrency', integerAtLeast(1)],
    ['ratePerSec', positiveNumber],
    ['burst', integerAtLeast(1)],
    ['overRate', oneOf(['wait', 'reject'])],
    ['retry', (value, field) => retryPolicyFieldProblems(value, field)[0]],
  ]);
const REQUIRED = ['input', 'output', 'handler'];

/** Every problem with `value` as the `tools` option, first offending field first. */
export function toolDeclarationsProblems(value: unknown, path: string): FieldProblem[] {
  if (!isPlainObject(value))
    return [{ field: path, problem: `must be an object of tools by name, got ${show(value)}` }];
  return Object.entries(value).flatMap(([name, tool]) => {
    const field = `${path}.${name}`;
    const badName = nonEmptyString(name, field);
    return badName ? [badName] : toolProblems(tool, field);
  });
}

function toolProblems(tool: unknown, path: string): FieldProblem[] {
  if (!isRecord(tool))
    return [{ field: path, problem: `must be a tool declaration object, got ${show(tool)}` }];
  const problems: FieldProblem[] = Object.keys(tool)
    .filter((key) => !CHECKS.has(key))
    .map((key) => {
      const near = closestName(key, CHECKS.keys());
      return {
        field: `${path}.${key}`,
        problem: `is not a tool field${near === undefined ? '' : `; did you mean ${near}?`}`,
      };
    });
  for (const [key, check] of CHECKS) {
    const field = `${path}.${key}`;
    if (tool[key] === undefined) {
      if (REQUIRED.includes(key)) problems.push({ field, problem: 'is required' });
      continue;
    }
    const problem = check(tool[key], field);
    if (problem) problems.push(problem);
  }
  for (const key of ['burst', 'overRate'])
    if (tool[key] !== undefined && tool.ratePerSec === undefined)
      problems.push({ field: `${path}.${key}`, problem: 'applies with ratePerSec only' });
  return problems;
}
