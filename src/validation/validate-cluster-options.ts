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
 * A pg Pool (`pool`) allows `least` connections at least (its `max`): each LISTEN holds one
 * for good, and the work needs one more; fewer would wait on each other forever. `what`
 * names the pool and says what holds its connections.
 */
export function poolAllows(pool: unknown, least: number, what: string): Problem {
  const max = poolMax(pool);
  return max === undefined || max >= least
    ? undefined
    : `${what} must allow ${least} connections at least, got max ${max}`;
}

/** A pg Pool's `max` connections; undefined for anything else. */
export function poolMax(pool: unknown): number | undefined {
  if (!isRecord(pool) || !isRecord(pool.options)) return undefined;
  const { max } = pool.options;
  return typeof max === 'number' ? max : undefined;
}

/** A client's pool: one connection listens for ends, one for progress, the others work. */
const clientPoolSize = (value: unknown): Problem =>
  poolAllows(
    value,
    3,
    "db's pool (one connection listens for ends, one for progress, the others read and write)",
  );

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
    poolAllows(o.db, 2, "db's pool (one connection listens for the node's messages)"),
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
    intakePoolSize(system, store),
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

/**
 * A leader's store pool, when it takes submissions in: one connection listens for them, one
 * for its remote agents' messages if it has any, and the work needs one more.
 */
function intakePoolSize(system: unknown, store: unknown): Problem {
  if (!isRecord(store) || !isRecord(store.place) || !isRecord(system)) return undefined;
  const { agents, placementOf } = system as {
    agents?: () => readonly { id: string }[];
    placementOf?: (agentId: string) => string | undefined;
  };
  const remote =
    typeof agents === 'function' &&
    typeof placementOf === 'function' &&
    agents.call(system).some((a) => placementOf.call(system, a.id) === 'remote');
  return poolAllows(
    store.place.pool,
    remote ? 3 : 2,
    `the store's pool (poolSize: one connection listens for submissions${remote ? ", one for the remote agents' messages" : ''})`,
  );
}
