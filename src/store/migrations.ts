// The SQLite store's schema, as an ordered list of migrations. A migration is never edited
// once released: a change to the schema is a new migration at the end of the list, and
// STORE_SCHEMA_VERSION moves with it.
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** The schema version the database has after this migration; 1, 2, 3... in order. */
  readonly version: number;
  readonly description: string;
  /** Runs inside the migration's transaction. */
  up(db: Database): void;
}

/** `PRAGMA application_id` of an overseer store: "ovsr" in ASCII. */
export const OVERSEER_APPLICATION_ID = 0x6f767372;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'tasks with their latest status, task and agent records, leases',
    up(db) {
      db.exec(`
        CREATE TABLE tasks (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          task_id TEXT NOT NULL UNIQUE,
          spec TEXT NOT NULL,
          submitted_at REAL NOT NULL,
          state TEXT NOT NULL,
          attempt INTEGER NOT NULL,
          agent_id TEXT,
          updated_at REAL NOT NULL,
          retry_at REAL,
          snapshot TEXT,
          outcome TEXT,
          finished_at REAL
        );
        CREATE INDEX tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL;
        CREATE TABLE task_records (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          task_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          v INTEGER NOT NULL,
          body TEXT NOT NULL
        );
        CREATE INDEX task_records_task ON task_records (task_id, seq);
        CREATE TABLE leases (
          task_id TEXT PRIMARY KEY,
          owner TEXT NOT NULL,
          attempt INTEGER NOT NULL,
          claimed_at REAL NOT NULL,
          until REAL NOT NULL
        );
        CREATE INDEX leases_until ON leases (until);
        CREATE TABLE agent_records (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          agent_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          v INTEGER NOT NULL,
          body TEXT NOT NULL
        );
        CREATE INDEX agent_records_agent ON agent_records (agent_id, seq);
      `);
    },
  },
  {
    version: 2,
    description: 'the owner: the one live system using the store, until its claim expires',
    up(db) {
      db.exec(`
        CREATE TABLE owner (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          holder TEXT NOT NULL,
          until REAL NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    description: 'team runs: the saved state of each unfinished team run',
    up(db) {
      db.exec(`
        CREATE TABLE team_runs (
          run_id TEXT PRIMARY KEY,
          at REAL NOT NULL,
          data TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 4,
    description: "a record's body without what its task row holds: task id, spec, outcome",
    up() {
      // Nothing to change in place. A task record's body leaves out its task id (its row of
      // task_records holds it), a submitted record its spec and an end its outcome (the
      // task's row holds them: a spec or a large output was stored twice).
      // Older bodies keep theirs, and reading puts them back in front of a body without.
      // The version tells an older overseer, which would find such a body incomplete, that
      // this file is newer than it.
    },
  },
];
