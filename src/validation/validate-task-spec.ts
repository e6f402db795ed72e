// The boundary of `submit`: a task spec from user code becomes a NormalizedTask with every
// default applied, or an error naming the first offending field. Unknown fields are
// refused too, so a typo (`priorty`) never silently falls back to a default.
import type { RetryPolicy } from '../../machines/retry-policy.js';
import { DeadlineInPast, DependencyCycle, InvalidTaskSpec } from '../errors/index.js';
import type { NormalizedTask } from '../tasks/task-spec.js';
import {
  type FieldCheck,
  type FieldProblem,
  integerAtLeast,
  isRecord,
  nonEmptyString,
  plainObject,
  positiveNumber,
  resourceMap,
  show,
  standardSchema,
  stringList,
  unknownKeys,
} from './field-checks.js';
import { retryPolicyFieldProblems } from './validate-retry-policy.js';

export interface SpecContext {
  /** The system clock's time, in ms: a deadline must lie after it. */
  readonly now: number;
  /** The policy of a task that names none. */
  readonly defaultRetry: RetryPolicy;
  /** Makes the id of a task that names none. */
  readonly newId: () => string;
  /** Prefix of field names, e.g. `tasks[3]` in a batch. Default none. */
  readonly path?: string;
  /**
   * The system's QoS classes, when it has them: `qos` must name one, and a task naming
   * none joins `defaultQos`. Without classes `qos` is a free label (default `default`).
   */
  readonly qosClasses?: ReadonlySet<string>;
  readonly defaultQos?: string;
  /** The spec's place in a batch: field names are prefixed `tasks[<index>]` (built only for a problem). */
  readonly index?: number;
}

const taskId: FieldCheck = (value, field) =>
  nonEmptyString(value, field) ??
  (/\s/.test(value as string)
    ? { field, problem: `must not contain whitespace, got ${show(value)}` }
    : undefined);

const finiteNumber: FieldCheck = (value, field) =>
  typeof value === 'number' && Number.isFinite(value)
    ? undefined
    : { field, problem: `must be a finite number (clock ms), got ${show(value)}` };

type FieldChecks = (value: unknown, field: string) => readonly FieldProblem[];
const only =
  (check: FieldCheck): FieldChecks =>
  (value, field) => {
    const problem = check(value, field);
    return problem ? [problem] : NONE;
  };

/** What a check found in a valid field: shared, since nearly every field of every spec is. */
const NONE: readonly FieldProblem[] = Object.freeze([]);

/** Every field of a TaskSpec with its checks, in declaration order: the order of reporting. */
const CHECKS: ReadonlyMap<string, FieldChecks> = new Map([
  ['id', only(taskId)],
  ['type', only(nonEmptyString)],
  ['input', () => NONE],
  ['priority', only(integerAtLeast(0))],
  ['capabilities', only(stringList)],
  ['resources', only(resourceMap)],
  ['dependsOn', only(stringList)],
  ['deadline', only(finiteNumber)],
  ['timeoutMs', only(positiveNumber)],
  ['retry', retryPolicyFieldProblems],
  ['idempotencyKey', only(nonEmptyString)],
  ['outputSchema', only(standardSchema)],
  ['qos', only(nonEmptyString)],
  ['metadata', only(plainObject)],
]);
const FIELDS: ReadonlySet<string> = new Set(CHECKS.keys());
/** The same as a list: walking it allocates nothing per spec (a Map's entries do). */
const CHECK_LIST: readonly (readonly [string, FieldChecks])[] = [...CHECKS];

/**
 * Validates a task spec and applies its defaults.
 * @throws InvalidTaskSpec naming the first offending field, with every problem found.
 * @throws DependencyCycle `[id, id]` when a task depends on itself.
 * @throws DeadlineInPast when `deadline` is not after `ctx.now`.
 */
export function validateTaskSpec(spec: unknown, ctx: SpecContext): NormalizedTask {
  const path = ctx.index === undefined ? ctx.path : `tasks[${ctx.index}]`;
  if (!isRecord(spec))
    throw new InvalidTaskSpec(path ?? 'spec', `must be an object, got ${show(spec)}`);
  const problems = specProblems(spec, path);
  const { qosClasses } = ctx;
  if (qosClasses && typeof spec.qos === 'string' && !qosClasses.has(spec.qos))
    problems.push({
      field: prefixed(path, 'qos'),
      problem: `must name a QoS class of this system (${[...qosClasses].join(', ')}), got ${show(spec.qos)}`,
    });
  const [first] = problems;
  if (first) throw new InvalidTaskSpec(first.field, first.problem, problems);

  // The checks above proved every cast below.
  const id = (spec.id as string | undefined) ?? ctx.newId();
  const dependsOn = unique(spec.dependsOn as string[] | undefined);
  if (dependsOn.includes(id)) throw new DependencyCycle([id, id]);
  const deadline = spec.deadline as number | undefined;
  if (deadline !== undefined && deadline <= ctx.now) throw new DeadlineInPast(deadline, ctx.now);
  return {
    id,
    type: spec.type as string,
    input: spec.input,
    priority: (spec.priority as number | undefined) ?? 0,
    capabilities: unique(spec.capabilities as string[] | undefined),
    resources: copyOrShared(spec.resources as Record<string, number> | undefined),
    dependsOn,
    deadline,
    timeoutMs: spec.timeoutMs as number | undefined,
    retry: (spec.retry as RetryPolicy | undefined) ?? ctx.defaultRetry,
    idempotencyKey: spec.idempotencyKey as string | undefined,
    outputSchema: spec.outputSchema as NormalizedTask['outputSchema'],
    qos: (spec.qos as string | undefined) ?? ctx.defaultQos ?? 'default',
    metadata: (spec.metadata as Record<string, unknown> | undefined) ?? NO_METADATA,
  };
}

/** Unknown keys first (a typo is usually the cause of what else looks wrong), then fields. */
function specProblems(spec: Record<string, unknown>, path: string | undefined): FieldProblem[] {
  const problems = unknownKeys(spec, FIELDS, path, 'a task spec');
  for (const [field, check] of CHECK_LIST) {
    const value = spec[field];
    if (value === undefined) {
      if (field === 'type') problems.push({ field: prefixed(path, field), problem: 'is required' });
      continue;
    }
    // Checked under the plain field name; the batch prefix is added to what it found.
    for (const found of check(value, field))
      problems.push(path ? { ...found, field: prefixed(path, found.field) } : found);
  }
  return problems;
}

const prefixed = (path: string | undefined, field: string): string =>
  path ? `${path}.${field}` : field;

// Most tasks name no capability, resource or metadata: they share one frozen empty value
// each instead of carrying their own (a million queued tasks hold a million records).
const NO_CAPABILITIES: readonly string[] = Object.freeze([]);
const NO_RESOURCES: Readonly<Record<string, number>> = Object.freeze({});
const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

const unique = (items: readonly string[] | undefined): readonly string[] =>
  items === undefined || items.length === 0 ? NO_CAPABILITIES : [...new Set(items)];

const copyOrShared = (
  resources: Record<string, number> | undefined,
): Readonly<Record<string, number>> => {
  if (resources === undefined) return NO_RESOURCES;
  for (const _ in resources) return { ...resources };
  return NO_RESOURCES;
};
