// What the cluster's entry points (`startNode`, `lead`, `connectCluster`) check before they
// touch the database: each option a caller can get wrong, named with what it must be, as a
// TypeError prefixed by the entry point.
import { isRecord, show } from './field-checks.js';

const PLACEMENTS = ['process', 'thread', 'inline'];
const LOG_METHODS = ['debug', 'info', 'warn', 'error'];

type Problem = string | undefined;

const db = (value: unknown): Problem =>
  (
    typeof value === 'string'
      ? value.length > 0
      : isRecord(value) && typeof value.query === 'function'
  )
    ? undefined
    : `db must be a PostgreSQL URL or a pg Pool, got ${show(value)}`;

const optionalText = (name: string, value: unknown): Problem =>
  value === undefined || (typeof value === 'string' && value.length > 0)
    ? undefined
    : `${name} must be a non-empty string, got ${show(value)}`;

const optionalMs = (name: string, value: unknown, min: number, max: number): Problem =>
  value === undefined || (typeof value === 'number' && value >= min && value <= max)
    ? undefined
    : `${name} must be a number of ms from ${min} to ${max}, got ${show(value)}`;

function logger(value: unknown): Problem {
  if (value === undefined) return undefined;
  const missing = isRecord(value)
    ? LOG_METHODS.find((method) => typeof value[method] !== 'function')
    : 'debug';
  if (missing === undefined) return undefined;
  const found = isRecord(value) ? value[missing] : value;
  return `logger must be a logger (debug, info, warn, error), e.g. pino(); logger.${missing} is ${show(found)}`;
}

/**
 * Connections a client's pool must allow: one listens for ends, one for progress while
 * someone subscribes, and the rest read results and write submissions. Fewer would wait on
 * each other forever.
 */
const CLIENT_CONNECTIONS = 3;

/** A pool given to `connectCluster` allows CLIENT_CONNECTIONS at least (pg's `max`). */
function clientPoolSize(value: unknown): Problem {
  if (!isRecord(value) || !isRecord(value.options)) return undefined;
  const { max } = value.options;
  return typeof max !== 'number' || max >= CLIENT_CONNECTIONS
    ? undefined
    : `db's pool must allow ${CLIENT_CONNECTIONS} connections at least (max: one listens for ends, one for progress, the others read and write), got max ${show(max)}`;
}

/** The first problem of `problems`, thrown as a TypeError of `entry`. */
function refuse(entry: string, ...problems: Problem[]): void {
  const problem = problems.find((p) => p !== undefined);
  if (problem !== undefined) throw new TypeError(`${entry}: ${problem}`);
}

const options = (entry: string, value: unknown): Record<string, unknown> => {
  if (!isRecord(value))
    throw new TypeError(`${entry}: options must be an object, got ${show(value)}`);
  return value;
};

/** `startNode`'s options. */
export function validateNodeOptions(value: unknown): void {
  const o = options('startNode', value);
  refuse(
    'startNode',
    db(o.db),
    typeof o.agents === 'string' && o.agents.length > 0
      ? undefined
      : `agents must be the path or URL of a module, got ${show(o.agents)}`,
    optionalText('schema', o.schema),
    o.runs === undefined || PLACEMENTS.includes(o.runs as string)
      ? undefined
      : `runs must be one of ${PLACEMENTS.join(', ')}, got ${show(o.runs)}`,
    optionalMs('pollMs', o.pollMs, 1, 60_000),
    logger(o.logger),
  );
}

/** `lead`'s options. */
export function validateLeadOptions(value: unknown): void {
  const o = options('lead', value);
  refuse(
    'lead',
    db(o.db),
    optionalText('schema', o.schema),
    optionalText('holder', o.holder),
    o.leaseMs === undefined || (Number.isInteger(o.leaseMs) && (o.leaseMs as number) >= 30)
      ? undefined
      : `leaseMs must be a whole number of ms, at least 30, got ${show(o.leaseMs)}`,
    optionalMs('pollMs', o.pollMs, 1, 600_000),
  );
}

/** `connectCluster`'s database and options. */
export function validateClientOptions(database: unknown, value: unknown): void {
  const o = options('connectCluster', value);
  refuse(
    'connectCluster',
    db(database),
    clientPoolSize(database),
    optionalText('schema', o.schema),
    optionalMs('pollMs', o.pollMs, 1, 600_000),
    o.onListenerError === undefined || typeof o.onListenerError === 'function'
      ? undefined
      : `onListenerError must be a function (error) => void, got ${show(o.onListenerError)}`,
  );
}

/** `takeSubmissions`' system, store and options. */
export function validateIntakeOptions(system: unknown, store: unknown, value: unknown): void {
  const o = options('takeSubmissions', value);
  refuse(
    'takeSubmissions',
    isRecord(system) && typeof system.submitMany === 'function'
      ? undefined
      : `system must be a system (createSystem(...)), got ${show(system)}`,
    isRecord(store) && store.kind === 'postgres' && isRecord(store.place)
      ? undefined
      : `store must be the system's PostgreSQL store (postgresStore(...)), got ${isRecord(store) && typeof store.kind === 'string' ? `a ${store.kind} store` : show(store)}`,
    optionalMs('pollMs', o.pollMs, 1, 600_000),
  );
}

/** `postgresStore`'s connection and options. */
export function validateStoreOptions(connection: unknown, value: unknown): void {
  const o = options('postgresStore', value);
  const leader = o.leader;
  refuse(
    'postgresStore',
    db(connection)?.replace(/^db /, 'connection '),
    optionalText('schema', o.schema),
    optionalMs('retryForMs', o.retryForMs, 0, 86_400_000),
    o.poolSize === undefined ||
      (Number.isInteger(o.poolSize) &&
        (o.poolSize as number) >= 1 &&
        (o.poolSize as number) <= 1_000)
      ? undefined
      : `poolSize must be a whole number from 1 to 1000, got ${show(o.poolSize)}`,
    leader === undefined ||
      (isRecord(leader) &&
        typeof leader.holder === 'string' &&
        Number.isInteger(leader.epoch) &&
        (leader.epoch as number) >= 1)
      ? undefined
      : `leader must be the Leadership lead() gave (holder, epoch), got ${show(leader)}`,
  );
}
