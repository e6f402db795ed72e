// What `startNode` checks before it touches the database: each option a caller can get
// wrong, named with what it must be (a TypeError, as the other cluster entry points throw).
import { isRecord, show } from './field-checks.js';

const PLACEMENTS = ['process', 'thread', 'inline'];
const LOG_METHODS = ['debug', 'info', 'warn', 'error'];

/** The first problem of `options` as `startNode` takes them, or undefined. */
function problemOf(options: unknown): string | undefined {
  if (!isRecord(options)) return `options must be an object, got ${show(options)}`;
  const { db, agents, schema, runs, pollMs, logger } = options;
  if (!(typeof db === 'string' ? db.length > 0 : isRecord(db) && typeof db.query === 'function'))
    return `db must be a PostgreSQL URL or a pg Pool, got ${show(db)}`;
  if (typeof agents !== 'string' || agents.length === 0)
    return `agents must be the path or URL of a module, got ${show(agents)}`;
  if (schema !== undefined && (typeof schema !== 'string' || schema.length === 0))
    return `schema must be a non-empty string, got ${show(schema)}`;
  if (runs !== undefined && !PLACEMENTS.includes(runs as string))
    return `runs must be one of ${PLACEMENTS.join(', ')}, got ${show(runs)}`;
  if (pollMs !== undefined && !(typeof pollMs === 'number' && pollMs >= 1 && pollMs <= 60_000))
    return `pollMs must be a number of ms from 1 to 60000, got ${show(pollMs)}`;
  if (logger !== undefined) {
    const missing = isRecord(logger)
      ? LOG_METHODS.find((method) => typeof logger[method] !== 'function')
      : 'debug';
    if (missing !== undefined)
      return `logger must be a logger (debug, info, warn, error), e.g. pino(); logger.${missing} is ${show(isRecord(logger) ? logger[missing] : logger)}`;
  }
  return undefined;
}

/** Throws a TypeError naming the first option of `options` that is wrong. */
export function validateNodeOptions(options: unknown): void {
  const problem = problemOf(options);
  if (problem !== undefined) throw new TypeError(`startNode: ${problem}`);
}
