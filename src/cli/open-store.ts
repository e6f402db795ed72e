// The store a command runs on, from where it is: a PostgreSQL URL (`postgres://...`) or
// the path of a SQLite file.
import { postgresStore } from '../store/postgres/postgres-store.js';
import { sqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';

/** Whether `location` names a PostgreSQL database rather than a file. */
export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);

export async function openStore(location: string): Promise<Store> {
  return isPostgresUrl(location) ? postgresStore(location) : sqliteStore(location);
}
