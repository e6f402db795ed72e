// One copy of the small values that most tasks read back from a durable store share: their
// type and QoS class, capabilities, retry policy, empty resources and metadata, state and
// agent. Parsed row by row, each task would hold its own copy of each (measured: about a
// fifth of what a loaded finished task costs a standby that takes over). Shared values are
// frozen, so no task can change another's. Only what repeats is looked up (never a task's
// ids, nor its dependencies, which name other tasks), and past LIMIT distinct values of a
// kind, new ones are not kept.
import type { StoredTaskSpec } from './store-records.js';

const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_RECORD: Readonly<Record<string, never>> = Object.freeze({});

/** Distinct values kept of each kind; past it, values are returned as they are. */
const LIMIT = 4_096;
/** Strings longer than this are unlikely to repeat (ids, keys): never looked up. */
const SHORT = 64;

const texts = new Map<string, string>();
const objects = new Map<string, unknown>();

/**
 * `spec` (parsed from a store's row: nothing else holds its parts) with its shareable parts
 * shared: type, QoS class, capabilities, resources, retry policy, and its dependencies and
 * metadata when empty.
 */
export function sharedSpec(spec: StoredTaskSpec): StoredTaskSpec {
  return {
    ...spec,
    type: sharedText(spec.type),
    qos: sharedText(spec.qos),
    capabilities: sharedList(spec.capabilities),
    dependsOn: spec.dependsOn.length === 0 ? EMPTY_LIST : spec.dependsOn,
    resources: sharedRecord(spec.resources),
    retry: sharedRecord(spec.retry),
    metadata: isEmpty(spec.metadata) ? EMPTY_RECORD : spec.metadata,
  };
}

/** The one copy of a short string (a type, a state, an agent id). */
export function sharedText<T extends string | undefined>(value: T): T {
  if (value === undefined || value.length > SHORT) return value;
  const kept = texts.get(value);
  if (kept !== undefined) return kept as T;
  if (texts.size < LIMIT) texts.set(value, value);
  return value;
}

/** The one frozen copy of a list of short strings (capabilities). */
export function sharedList(list: readonly string[]): readonly string[] {
  if (list.length === 0) return EMPTY_LIST;
  return shared(`l${JSON.stringify(list)}`, list);
}

/**
 * The one frozen copy of a small JSON object (resources, a retry policy): `{}` always,
 * others while their JSON is short.
 */
export function sharedRecord<T extends object>(value: T): T {
  if (isEmpty(value)) return EMPTY_RECORD as T;
  const json = JSON.stringify(value);
  return json.length > 4 * SHORT ? value : shared(`o${json}`, value);
}

/** A plain object without a key of its own. */
function isEmpty(value: object): boolean {
  for (const _ in value) return false;
  return Object.getPrototypeOf(value) === Object.prototype;
}

function shared<T>(key: string, value: T): T {
  const kept = objects.get(key);
  if (kept !== undefined) return kept as T;
  if (objects.size >= LIMIT) return value;
  const frozen = deepFreeze(value);
  objects.set(key, frozen);
  return frozen;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
