// What the store tests build on: task specs, records, temp database files, and the two
// stores side by side so every rule is checked on both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRetryPolicy } from '../../machines/retry-policy.js';
import { memoryStore } from '../../src/store/memory-store.js';
import {
  type PostgresStore,
  type PostgresStoreOptions,
  postgresStore,
} from '../../src/store/postgres/postgres-store.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type {
  StoredTaskSpec,
  TaskLifecycleRecord,
  TaskTransitionRecord,
} from '../../src/store/store-records.js';
import { type FreshDatabase, freshDatabase } from '../support/postgres.js';

export function specOf(id: string, extra: Partial<StoredTaskSpec> = {}): StoredTaskSpec {
  return {
    id,
    type: 'resize-image',
    input: { url: `https://example.com/${id}.png` },
    priority: 0,
    capabilities: [],
    resources: {},
    dependsOn: [],
    deadline: undefined,
    timeoutMs: undefined,
    retry: defaultRetryPolicy,
    idempotencyKey: undefined,
    qos: 'default',
    metadata: {},
    ...extra,
  };
}

export const submitted = (
  id: string,
  at: number,
  extra: Partial<StoredTaskSpec> = {},
): TaskLifecycleRecord => ({ kind: 'task.submitted', taskId: id, at, spec: specOf(id, extra) });

export const moved = (
  id: string,
  state: TaskTransitionRecord['state'],
  attempt: number,
  at: number,
  agentId?: string,
): TaskLifecycleRecord => ({
  kind: 'task.transition',
  taskId: id,
  state,
  attempt,
  at,
  ...(agentId === undefined ? {} : { agentId }),
});

/**
 * A fresh directory under the OS temp dir, and (on first use) a fresh PostgreSQL database.
 * `remove()` closes the stores opened through `storeKinds` and deletes the directory with
 * every file in it, and the database.
 */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-store-'));
  const opened: Store[] = [];
  let files = 0;
  let schemas = 0;
  let database: Promise<FreshDatabase> | undefined;
  return {
    dir,
    /** A path for a new database file. */
    file: (name = `store-${++files}.db`) => join(dir, name),
    track<S extends Store>(store: S): S {
      opened.push(store);
      return store;
    },
    /** A new, empty PostgreSQL store: a schema of its own in this directory's database. */
    async postgres(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
      database ??= freshDatabase();
      const { url } = await database;
      return this.track(await postgresStore(url, { schema: `store_${++schemas}`, ...options }));
    },
    /** The URL of this directory's PostgreSQL database. */
    async postgresUrl(): Promise<string> {
      database ??= freshDatabase();
      return (await database).url;
    },
    async remove() {
      await Promise.allSettled(opened.map((store) => store.close()));
      rmSync(dir, { recursive: true, force: true });
      if (database) await (await database).drop();
    },
  };
}

/** The three stores, for `describe.each`: each `open()` gives a new, empty store. */
export function storeKinds(dir: ReturnType<typeof tempDir>) {
  return [
    { kind: 'memory', open: async (): Promise<Store> => memoryStore() },
    { kind: 'sqlite', open: async (): Promise<Store> => dir.track(sqliteStore(dir.file())) },
    { kind: 'postgres', open: (): Promise<Store> => dir.postgres() },
  ] as const;
}
