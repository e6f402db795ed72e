// Brings a PostgreSQL schema to the store's version, or refuses it. An overseer store is
// marked by its `overseer_schema` table listing the applied migrations; a schema holding
// other tables and no such list is foreign and left untouched, and a newer version is
// refused before anything is written. Migrations run under an advisory lock, so two
// processes opening the same new store do not both create it.

import type { Pool, PoolClient } from 'pg';
import { ForeignStoreFile, StoreSchemaTooNew } from '../../errors/index.js';
import { checkOut } from './checked-out.js';
import { refuseTransactionPooler } from './pooler-check.js';
import { type PostgresMigration, postgresMigrations } from './postgres-migrations.js';

/** Quotes an identifier for SQL. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A function naming tables in `schema`: `q('tasks')` is `"overseer"."tasks"`. */
export const tableNamer = (schema: string) => (table: string) => `${ident(schema)}.${ident(table)}`;

/** The version a store's schema has after this overseer's migrations. */
export const POSTGRES_SCHEMA_VERSION = postgresMigrations.at(-1)?.version ?? 0;

// A fixed key for pg_advisory_xact_lock: "ovsr" in ASCII, with the schema's hash beside it.
const LOCK_KEY = 0x6f767372;

/**
 * Migrates `schema` in the database of `pool` to the latest version.
 * @returns the version it had (0: new) and has now.
 */
export async function migratePostgres(
  pool: Pool,
  schema: string,
  where: string,
  list: readonly PostgresMigration[] = postgresMigrations,
): Promise<{ from: number; to: number }> {
  await refuseTransactionPooler(pool, where);
  const { client, release } = await checkOut(pool);
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_KEY, schema]);
    const from = await versionOf(client, schema, where);
    const latest = list.at(-1)?.version ?? 0;
    if (from > latest) throw new StoreSchemaTooNew(where, from, latest);
    const q = tableNamer(schema);
    if (from === 0) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      await client.query(
        `CREATE TABLE ${q('overseer_schema')} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
    }
    for (const migration of list) {
      if (migration.version <= from) continue;
      await client.query(migration.sql(q));
      await client.query(
        `INSERT INTO ${q('overseer_schema')} (version, description) VALUES ($1, $2)`,
        [migration.version, migration.description],
      );
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, latest) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    release();
  }
}

/** The schema's version: 0 when it does not exist or is empty; throws when it is not ours. */
async function versionOf(client: PoolClient, schema: string, where: string): Promise<number> {
  const { rows } = await client.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
    [schema],
  );
  const tables = rows.map((r) => r.table_name);
  if (tables.length === 0) return 0;
  if (!tables.includes('overseer_schema'))
    throw new ForeignStoreFile(
      where,
      `its schema ${schema} holds tables ${tables.sort().join(', ')} and no overseer_schema`,
    );
  const version = await client.query<{ v: number | null }>(
    `SELECT max(version) AS v FROM ${tableNamer(schema)('overseer_schema')}`,
  );
  return version.rows[0]?.v ?? 0;
}
