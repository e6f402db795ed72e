// The boundary of `createSystem`: options from user code are checked before any default
// applies. Unknown options are refused, naming the closest known one (`stratgy`: did you
// mean strategy?), so a typo never silently falls back to a default.
import {
  agentLimiterInputProblems,
  DEFAULT_LIMITER_SETTINGS,
} from '../../machines/agent-limiter-types.js';
import { InvalidSystemOptions } from '../errors/index.js';
import type { SystemOptions } from '../system/system-options.js';
import { toolDeclarationsProblems } from '../tools/tool-declaration-checks.js';
import { closestName } from './closest-name.js';
import {
  type FieldCheck,
  type FieldProblem,
  integerAtLeast,
  isPlainObject,
  isRecord,
  nonNegativeNumber,
  oneOf,
  positiveNumber,
  show,
  standardSchema,
  unknownKeys,
} from './field-checks.js';
import { restartIntensity } from './validate-agent-declaration.js';
import { qosOptionsProblems } from './validate-qos-options.js';
import { backoffFieldProblems, retryPolicyFieldProblems } from './validate-retry-policy.js';

type OptionCheck = (
  value: unknown,
  field: string,
) => FieldProblem | readonly FieldProblem[] | undefined;

const fn: FieldCheck = (value, field) =>
  typeof value === 'function'
    ? undefined
    : { field, problem: `must be a function, got ${show(value)}` };

/** An object whose `methods` are functions; a missing one is named by its path (`logger.warn`). */
const withMethods =
  (what: string, methods: readonly string[]): FieldCheck =>
  (value, field) => {
    if (!isRecord(value)) return { field, problem: `must be ${what}, got ${show(value)}` };
    const missing = methods.find((method) => typeof value[method] !== 'function');
    return missing === undefined
      ? undefined
      : {
          field: `${field}.${missing}`,
          problem: `must be a function, got ${show(value[missing])}`,
        };
  };

const retention: FieldCheck = (value, field) =>
  value === Number.POSITIVE_INFINITY || integerAtLeast(0)(value, field) === undefined
    ? undefined
    : { field, problem: `must be an integer >= 0 or Infinity, got ${show(value)}` };

const isStore = withMethods('a Store', ['appendTask', 'load', 'flush']);
const store: FieldCheck = (value, field) =>
  isStore(value, field) === undefined
    ? undefined
    : { field, problem: 'must be a Store, e.g. memoryStore() or sqliteStore(path)' };

const inspect: FieldCheck = (value, field) =>
  typeof value === 'function' || (isRecord(value) && typeof value.next === 'function')
    ? undefined
    : { field, problem: 'must be a function or an observer with next()' };

/** Every option with its check, in declaration order: the order of reporting. */
const CHECKS: { readonly [K in keyof Required<SystemOptions>]: OptionCheck } = {
  // Declarations are checked whole by validateDeclarations, as InvalidAgentDeclaration.
  agents: () => undefined,
  clock: withMethods('a clock (now, setTimeout, clearTimeout)', [
    'now',
    'setTimeout',
    'clearTimeout',
  ]),
  random: fn,
  newTaskId: fn,
  order: oneOf(['priority', 'priority-lifo', 'fifo', 'lifo', 'deadline']),
  agingMs: positiveNumber,
  agentPick: oneOf(['least-loaded', 'round-robin']),
  heartbeatIntervalMs: positiveNumber,
  heartbeatTimeoutMs: positiveNumber,
  retry: retryPolicyFieldProblems,
  strategy: oneOf(['one_for_one', 'one_for_all', 'rest_for_one']),
  intensity: restartIntensity,
  restartBackoff: backoffFieldProblems,
  abortGraceMs: positiveNumber,
  queueCapacity: integerAtLeast(1),
  retainFinished: retention,
  keepFinishedInStore: (value, field) =>
    typeof value === 'boolean'
      ? undefined
      : { field, problem: `must be true or false, got ${show(value)}` },
  store,
  leaseMs: positiveNumber,
  startWriteDelayMs: nonNegativeNumber,
  unmatchedCapability: oneOf(['reject', 'keep-pending']),
  qos: qosOptionsProblems,
  adaptiveConcurrency: (value, field) => {
    if (typeof value === 'boolean') return undefined;
    if (!isPlainObject(value))
      return { field, problem: `must be true, false or limiter options, got ${show(value)}` };
    const known = new Set(Object.keys(DEFAULT_LIMITER_SETTINGS).concat('initialLimit'));
    return [
      ...unknownKeys(value, known, field, 'adaptiveConcurrency'),
      ...agentLimiterInputProblems({ agentId: 'any', concurrency: 1, options: value }).map(
        (problem) => {
          const [, key, rest] = /^options\.(\w+) (.*)$/.exec(problem) ?? [];
          return key ? { field: `${field}.${key}`, problem: rest ?? problem } : { field, problem };
        },
      ),
    ];
  },
  maxChildrenPerSupervisor: integerAtLeast(1),
  inspect,
  logger: withMethods('a logger (debug, info, warn, error), e.g. pino()', [
    'debug',
    'info',
    'warn',
    'error',
  ]),
  onListenerError: (value, field) =>
    typeof value === 'function'
      ? undefined
      : { field, problem: `must be a function (error) => void, got ${show(value)}` },
  tracer: withMethods('an OpenTelemetry Tracer', ['startSpan']),
  tools: toolDeclarationsProblems,
  outputSchemas: (value, field) => {
    if (!isPlainObject(value))
      return { field, problem: `must be an object of schemas by task type, got ${show(value)}` };
    return Object.entries(value).flatMap(([type, schema]) => {
      const problem = standardSchema(schema, `${field}.${type}`);
      return problem ? [problem] : [];
    });
  },
};
const OPTIONS: ReadonlyMap<string, OptionCheck> = new Map(Object.entries(CHECKS));

/**
 * Checks options from user code; an option set to `undefined` takes its default.
 * @throws InvalidSystemOptions naming the first offending option by its path (`retry.backoff.kind`).
 */
export function checkSystemOptions(options: unknown): asserts options is SystemOptions {
  if (!isPlainObject(options))
    throw new InvalidSystemOptions('options', `must be a plain object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (OPTIONS.has(key)) continue;
    const near = closestName(key, OPTIONS.keys());
    throw new InvalidSystemOptions(
      key,
      `is an unknown option${near === undefined ? '' : `; did you mean ${near}?`}`,
    );
  }
  for (const [key, check] of OPTIONS) {
    const value = options[key];
    if (value === undefined) continue;
    const found = check(value, key);
    const first = Array.isArray(found) ? found[0] : (found as FieldProblem | undefined);
    if (first) throw new InvalidSystemOptions(first.field, first.problem);
  }
}

/**
 * `system.events()`'s options: the bound on what an iterator holds unread (Infinity: none).
 * @throws TypeError naming `maxBuffered` when it is not a whole number of at least 1.
 */
export function eventsBound(options: { readonly maxBuffered?: number } | undefined): number {
  const maxBuffered = options?.maxBuffered ?? Number.POSITIVE_INFINITY;
  if (
    maxBuffered !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(maxBuffered) && maxBuffered >= 1)
  )
    throw new TypeError(
      `events: maxBuffered must be a whole number of at least 1, got ${show(maxBuffered)}`,
    );
  return maxBuffered;
}
