import { OverseerError } from './overseer-error.js';

/**
 * The database is reached through a transaction-mode connection pooler: two of overseer's
 * connections were served by one PostgreSQL backend at once. Overseer needs a backend of
 * its own behind each connection (its prepared statements and LISTEN wake-ups live there).
 */
export class PoolerUnsupported extends OverseerError {
  readonly code = 'PoolerUnsupported';
  constructor(
    readonly path: string,
    readonly backendPid: number,
  ) {
    super(
      `${path} is reached through a transaction-mode connection pooler (two of overseer's ` +
        `connections were served by one PostgreSQL backend, pid ${backendPid}): overseer's ` +
        'prepared statements and LISTEN wake-ups need a backend of their own per connection. ' +
        'Connect to PostgreSQL directly, or through a session-mode pool (PgBouncer ' +
        '`pool_mode = session`); see docs/distributed.md, "Connection poolers"',
    );
  }
}
