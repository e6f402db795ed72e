import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ForeignStoreFile, StoreOpenFailed, StoreSchemaTooNew } from '../../src/errors/index.js';
import { type Migration, migrations, OVERSEER_APPLICATION_ID } from '../../src/store/migrations.js';
import { migrateSchema } from '../../src/store/schema-version.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import { STORE_SCHEMA_VERSION } from '../../src/store/store-records.js';
import { submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** A database file brought to `version` of `list` by the migration runner alone. */
function databaseAt(version: number, list: readonly Migration[] = migrations): string {
  const path = dir.file();
  const db = new Database(path);
  migrateSchema(
    db,
    path,
    list.filter((m) => m.version <= version),
  );
  db.close();
  return path;
}

const versions = (path: string) => {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all();
  db.close();
  return rows;
};

/** A later schema, as a release after this one would add it. */
const addPriorityIndex: Migration = {
  version: migrations.length + 1,
  description: 'index tasks by state',
  up: (db) => db.exec('CREATE INDEX tasks_state ON tasks (state)'),
};

describe('store schema', () => {
  it('is numbered 1, 2, 3... in order, and its last version is the one records carry', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrations.at(-1)?.version).toBe(STORE_SCHEMA_VERSION);
  });

  it('a new file gets every migration, is marked as overseer’s, and opens again as is', async () => {
    const path = dir.file();
    const store = sqliteStore(path);
    expect(store.schema).toEqual({ from: 0, to: STORE_SCHEMA_VERSION });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(OVERSEER_APPLICATION_ID);
    db.close();
    const again = dir.track(sqliteStore(path));
    expect(again.schema).toEqual({ from: STORE_SCHEMA_VERSION, to: STORE_SCHEMA_VERSION });
  });

  it.each(migrations.map((m) => m.version - 1))(
    'a database at version %i is upgraded to the latest on open',
    (version) => {
      const path = databaseAt(version);
      const store = dir.track(sqliteStore(path));
      expect(store.schema).toEqual({ from: version, to: STORE_SCHEMA_VERSION });
      expect(versions(path)).toEqual(migrations.map((m) => m.version));
    },
  );

  it('upgrades a database one version behind, keeping its data', async () => {
    const path = dir.file();
    const store = sqliteStore(path);
    store.appendTask(submitted('kept', 1));
    await store.close();
    const db = new Database(path);
    expect(migrateSchema(db, path, [...migrations, addPriorityIndex])).toEqual({
      from: STORE_SCHEMA_VERSION,
      to: STORE_SCHEMA_VERSION + 1,
    });
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'tasks_state'").get(),
    ).toBeTruthy();
    db.close();
    expect(versions(path)).toEqual([...migrations, addPriorityIndex].map((m) => m.version));
  });

  it('stores a spec and an outcome once (schema 4), and reads records written whole before', async () => {
    const path = dir.file();
    const store = sqliteStore(path);
    store.appendTask(submitted('a', 1));
    store.appendTask({ kind: 'task.completed', taskId: 'a', attempt: 1, at: 2, output: 'big' });
    const history = store.history('a');
    await store.close();
    const db = new Database(path);
    const bodies = db
      .prepare('SELECT body FROM task_records ORDER BY seq')
      .pluck()
      .all() as string[];
    expect(bodies.map((b) => Object.keys(JSON.parse(b) as object).sort())).toEqual([
      ['at', 'kind'], // its spec: the task row's
      ['at', 'attempt', 'kind'], // its output: the task row's outcome
    ]);
    // As schema 3 wrote them: each record whole, its spec and output in its body too.
    const update = db.prepare('UPDATE task_records SET body = ? WHERE seq = ?');
    for (const { seq, v: _v, ...record } of history) update.run(JSON.stringify(record), seq);
    db.close();
    expect(dir.track(sqliteStore(path)).history('a')).toEqual(history);
  });

  it('leaves the version where it was when a migration fails', () => {
    const path = databaseAt(STORE_SCHEMA_VERSION);
    const broken: Migration = {
      ...addPriorityIndex,
      up: (db) => {
        db.exec('CREATE TABLE half_done (x)');
        throw new Error('disk on fire');
      },
    };
    const db = new Database(path);
    expect(() => migrateSchema(db, path, [...migrations, broken])).toThrow('disk on fire');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBe(
      undefined,
    );
    db.close();
    expect(versions(path)).toEqual(migrations.map((m) => m.version));
  });

  it('refuses a database from a newer schema without touching it', () => {
    const path = databaseAt(STORE_SCHEMA_VERSION + 1, [...migrations, addPriorityIndex]);
    const bytes = readFileSync(path);
    expect(() => sqliteStore(path)).toThrow(
      new StoreSchemaTooNew(path, STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION),
    );
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});

describe('a file that is not an overseer store', () => {
  it('is refused when it is not SQLite at all', () => {
    const path = dir.file('notes.db');
    writeFileSync(path, 'remember the milk\n'.repeat(100));
    expect(() => sqliteStore(path)).toThrow(
      new ForeignStoreFile(path, 'it is not a SQLite database'),
    );
    expect(readFileSync(path, 'utf8')).toBe('remember the milk\n'.repeat(100));
  });

  it('is refused, naming its tables, when it is another application’s database', () => {
    const path = dir.file('shop.db');
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id); CREATE TABLE orders (id)');
    db.close();
    expect(() => sqliteStore(path)).toThrow(
      new ForeignStoreFile(path, 'it holds tables customers, orders and no overseer schema'),
    );
  });

  it('is refused, naming its application id, when another application marked it', () => {
    const path = dir.file('marked.db');
    const db = new Database(path);
    db.pragma('application_id = 42');
    db.close();
    expect(() => sqliteStore(path)).toThrow(/application_id is 0x0000002a, not overseer's/);
  });

  it('cannot be opened where no file can be created', () => {
    const path = `${dir.dir}/missing/dir/store.db`;
    expect(() => sqliteStore(path)).toThrow(StoreOpenFailed);
  });
});
