import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptStoreRecord } from '../../src/errors/index.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { moved, submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** A store file holding task `a` (running) and agent `agent:1`, then tampered with by `sql`. */
async function tampered(sql: string): Promise<string> {
  const path = dir.file();
  const store = sqliteStore(path);
  store.appendTask(submitted('a', 1));
  store.appendTask(moved('a', 'running', 1, 2, 'agent:1'));
  store.appendAgent({ kind: 'agent.stopped', agentId: 'agent:1', at: 3 });
  await store.close();
  const db = new Database(path);
  db.exec(sql);
  db.close();
  return path;
}

/** The CorruptStoreRecord that `read` throws on a store tampered with by `sql`. */
async function errorOf(sql: string, read: (store: Store) => unknown): Promise<CorruptStoreRecord> {
  const store = dir.track(sqliteStore(await tampered(sql)));
  try {
    read(store);
  } catch (error) {
    if (error instanceof CorruptStoreRecord) return error;
    throw error;
  }
  throw new Error('corrupt data was read without complaint');
}
const loadError = (sql: string) => errorOf(sql, (store) => store.load(0));
const historyError = (sql: string) => errorOf(sql, (store) => store.history('a'));

describe('corrupt data in a sqlite store is named, never misread', () => {
  it('a task whose spec is not JSON', async () => {
    const error = await loadError('UPDATE tasks SET spec = \'{"id": "a",\' WHERE task_id = \'a\'');
    expect(error).toMatchObject({ table: 'tasks', key: 'task_id=a', code: 'CorruptStoreRecord' });
    expect(error.message).toBe('corrupt store record tasks[task_id=a]: spec is not valid JSON');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('a task whose spec lacks a field', async () => {
    const error = await loadError(
      "UPDATE tasks SET spec = json_remove(spec, '$.type') WHERE task_id = 'a'",
    );
    expect(error.message).toBe('corrupt store record tasks[task_id=a]: type must be a string');
  });

  it('a task in a state overseer does not have', async () => {
    const error = await loadError("UPDATE tasks SET state = 'zombie'");
    expect(error.message).toBe('corrupt store record tasks[task_id=a]: unknown state "zombie"');
  });

  it('a record of an unknown kind', async () => {
    const error = await historyError(
      "UPDATE task_records SET kind = 'task.exploded', body = json_set(body, '$.kind', 'task.exploded') WHERE seq = 2",
    );
    expect(error).toMatchObject({ table: 'task_records', key: 'seq=2' });
    expect(error.message).toContain('unknown record kind "task.exploded"');
  });

  it('a record whose body is not JSON', async () => {
    const error = await historyError("UPDATE task_records SET body = 'garbage' WHERE seq = 1");
    expect(error.message).toBe('corrupt store record task_records[seq=1]: body is not valid JSON');
  });

  it('a record whose kind column and body disagree', async () => {
    const error = await historyError(
      "UPDATE task_records SET kind = 'task.completed' WHERE seq = 2",
    );
    expect(error.message).toContain('kind task.completed differs from body task.transition');
  });

  it('a record written by a newer record version', async () => {
    const error = await historyError('UPDATE task_records SET v = 2 WHERE seq = 2');
    expect(error.message).toBe(
      'corrupt store record task_records[seq=2]: written by store schema version 2, newer than 1',
    );
  });

  it('an agent record of an unknown kind', async () => {
    const error = await loadError(
      "UPDATE agent_records SET kind = 'agent.ascended', body = json_set(body, '$.kind', 'agent.ascended')",
    );
    expect(error).toMatchObject({ table: 'agent_records', key: 'seq=1' });
  });

  it('a schema_version table that was dropped', async () => {
    const path = await tampered('DROP TABLE schema_version');
    expect(() => sqliteStore(path)).toThrow(
      'corrupt store record schema_version[table]: the table is missing',
    );
  });
});
