// The field checks that task specs and agent declarations share. Each takes the value and
// its field path and returns the problem, naming the exact element (`capabilities[2]`,
// `resources.gpu`), or undefined when the value is fine. None throws on hostile input:
// values are only inspected with typeof and printed with `show`, never coerced.

export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export type FieldCheck = (value: unknown, field: string) => FieldProblem | undefined;

const problemAt = (field: string, problem: string): FieldProblem => ({ field, problem });

/** Any non-array object: what a spec or declaration may be (a class instance too). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object literal (or `Object.create(null)`), not a Map, Date or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A lone surrogate (half a character) or NUL: text no store can hold as given. */
const UNSTORABLE = /[\p{Cs}\0]/u;

export const nonEmptyString: FieldCheck = (value, field) => {
  if (typeof value !== 'string' || value.trim().length === 0)
    return problemAt(field, `must be a non-empty string, got ${show(value)}`);
  return UNSTORABLE.test(value)
    ? problemAt(field, `must be well-formed text (no lone surrogate or NUL), got ${show(value)}`)
    : undefined;
};

export const stringList: FieldCheck = (value, field) => {
  if (!Array.isArray(value))
    return problemAt(field, `must be an array of non-empty strings, got ${show(value)}`);
  for (let i = 0; i < value.length; i++) {
    const problem = nonEmptyString(value[i], `${field}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
};

export const resourceMap: FieldCheck = (value, field) => {
  if (!isPlainObject(value))
    return problemAt(field, `must be an object of named amounts, got ${show(value)}`);
  for (const [name, amount] of Object.entries(value)) {
    const problem = nonNegativeNumber(amount, `${field}.${name}`);
    if (problem) return problem;
  }
  return undefined;
};

export const plainObject: FieldCheck = (value, field) =>
  isPlainObject(value) ? undefined : problemAt(field, `must be a plain object, got ${show(value)}`);

/** A safe integer >= min; the message reads as users say it ("non-negative", "positive"). */
export function integerAtLeast(min: 0 | 1): FieldCheck {
  const kind = min === 0 ? 'a non-negative integer' : 'a positive integer';
  return (value, field) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min
      ? undefined
      : problemAt(field, `must be ${kind}, got ${show(value)}`);
}

export const nonNegativeNumber: FieldCheck = (value, field) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? undefined
    : problemAt(field, `must be a finite number >= 0, got ${show(value)}`);

export const positiveNumber: FieldCheck = (value, field) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0
    ? undefined
    : problemAt(field, `must be a finite number > 0, got ${show(value)}`);

export function oneOf(allowed: readonly string[]): FieldCheck {
  return (value, field) =>
    typeof value === 'string' && allowed.includes(value)
      ? undefined
      : problemAt(field, `must be one of ${allowed.join(', ')}, got ${show(value)}`);
}

/** Own keys of `record` outside `allowed`: a typo must not silently fall back to a default. */
export function unknownKeys(
  record: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string | undefined,
  what: string,
): FieldProblem[] {
  return Object.keys(record)
    .filter((key) => !allowed.has(key))
    .map((key) => problemAt(path ? `${path}.${key}` : key, `is not ${what} field`));
}

/** A short, safe rendering of any value for a message; never calls user code. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** A Standard Schema validator (zod, valibot, arktype...): `~standard` version 1 with validate(). */
export const standardSchema: FieldCheck = (value, field) => {
  const standard = isRecord(value) ? value['~standard'] : undefined;
  return isRecord(standard) && standard.version === 1 && typeof standard.validate === 'function'
    ? undefined
    : { field, problem: 'must be a Standard Schema validator (zod, valibot, arktype...)' };
};
