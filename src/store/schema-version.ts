// Brings a database to the store's schema, or refuses it. An overseer store is marked by its
// application_id and lists its applied migrations in `schema_version`; anything else is
// foreign and left untouched, and a newer schema is refused before anything is written.
import type { Database } from 'better-sqlite3';
import {
  CorruptStoreRecord,
  ForeignStoreFile,
  StoreOpenFailed,
  StoreSchemaTooNew,
} from '../errors/index.js';
import { type Migration, migrations, OVERSEER_APPLICATION_ID } from './migrations.js';

/** The schema version of the database before and after `migrateSchema`. */
export interface SchemaUpgrade {
  readonly from: number;
  readonly to: number;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** The schema version a database has: 0 when it is empty. Throws when it is not ours. */
export function schemaVersionOf(db: Database, path: string): number {
  let applicationId: unknown;
  try {
    applicationId = db.pragma('application_id', { simple: true });
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new ForeignStoreFile(path, 'it is not a SQLite database', { cause });
    }
    throw new StoreOpenFailed(path, { cause });
  }
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (applicationId !== OVERSEER_APPLICATION_ID) {
    if (applicationId === 0 && tables.length === 0) return 0;
    throw new ForeignStoreFile(
      path,
      applicationId === 0
        ? `it holds tables ${tables.join(', ')} and no overseer schema`
        : `its application_id is ${hex(Number(applicationId))}, not overseer's ${hex(OVERSEER_APPLICATION_ID)}`,
    );
  }
  if (!tables.includes('schema_version')) {
    throw new CorruptStoreRecord('schema_version', 'table', 'the table is missing');
  }
  const version = db.prepare('SELECT max(version) FROM schema_version').pluck().get();
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new CorruptStoreRecord('schema_version', 'max(version)', `not a version: ${version}`);
  }
  return version;
}

/**
 * Applies the migrations after the database's version, each in its own transaction, in
 * order. Refuses a database from a newer schema with StoreSchemaTooNew.
 */
export function migrateSchema(
  db: Database,
  path: string,
  list: readonly Migration[] = migrations,
): SchemaUpgrade {
  const from = schemaVersionOf(db, path);
  const latest = list.at(-1)?.version ?? 0;
  if (from > latest) throw new StoreSchemaTooNew(path, from, latest);
  for (const migration of list) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      if (migration.version === 1) {
        db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT)');
        db.pragma(`application_id = ${OVERSEER_APPLICATION_ID}`);
      }
      migration.up(db);
      db.prepare('INSERT INTO schema_version (version, description) VALUES (?, ?)').run(
        migration.version,
        migration.description,
      );
    }).immediate();
  }
  return { from, to: Math.max(from, latest) };
}
