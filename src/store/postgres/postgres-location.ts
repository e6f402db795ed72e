// Where a PostgreSQL store is, as errors and logs name it: its address without a password.
import type pg from 'pg';

/** The connection's address without its password. */
export function locationOf(connection: string | pg.Pool): string {
  if (typeof connection !== 'string') {
    const o = connection.options;
    return `postgres://${o.user ?? ''}@${o.host ?? 'localhost'}:${o.port ?? 5432}/${o.database ?? ''}`;
  }
  try {
    const url = new URL(connection);
    url.password = '';
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
