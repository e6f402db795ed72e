// The suite's PostgreSQL: a test gets a database of its own, uses it, and drops it.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresServer } from '../support/postgres.js';

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const databaseExists = async (serverUrl: string, name: string) =>
  withClient(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return found.rowCount === 1;
  });

describe('the test PostgreSQL server', () => {
  it('gives a test an empty database of its own that holds rows until dropped', async () => {
    const server = await postgresServer();
    const database = await freshDatabase();
    expect(database.url).toContain(database.name);
    expect(await databaseExists(server.url, database.name)).toBe(true);

    const rows = await withClient(database.url, async (client) => {
      const tables = await client.query(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables.rowCount).toBe(0);
      await client.query('CREATE TABLE tasks (id text PRIMARY KEY, attempt integer NOT NULL)');
      await client.query('INSERT INTO tasks VALUES ($1, $2)', ['a', 1]);
      return (await client.query('SELECT id, attempt FROM tasks')).rows;
    });
    expect(rows).toEqual([{ id: 'a', attempt: 1 }]);

    await database.drop();
    expect(await databaseExists(server.url, database.name)).toBe(false);
  });

  it('drops a database even while a connection to it is still open', async () => {
    const server = await postgresServer();
    const database = await freshDatabase();
    const leftOpen = new pg.Client({ connectionString: database.url });
    leftOpen.on('error', () => undefined); // the drop terminates it
    await leftOpen.connect();

    await database.drop();
    await database.drop();
    expect(await databaseExists(server.url, database.name)).toBe(false);
    await leftOpen.end().catch(() => undefined);
  });

  it('uses the embedded server exactly when OVERSEER_PG_EMBEDDED=1 asks for it', async () => {
    const server = await postgresServer();
    if (process.env.OVERSEER_PG_EMBEDDED === '1') expect(server.embedded).toBe(true);
    const version = await withClient(server.url, async (client) => {
      const result = await client.query<{ server_version_num: string }>('SHOW server_version_num');
      return Number(result.rows[0]?.server_version_num);
    });
    expect(version).toBeGreaterThanOrEqual(130_000); // DROP DATABASE ... WITH (FORCE)
  });
});
