// PostgreSQL for tests: the run's server (found once by postgres-global.ts) and a database
// of a test's own on it, so tests running in parallel never see each other's tables.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { PostgresServer } from './postgres-global.js';

export type { PostgresServer } from './postgres-global.js';

/** The server this run uses: local, OVERSEER_PG_URL, or embedded (see postgres-global.ts). */
export async function postgresServer(): Promise<PostgresServer> {
  const server = inject('postgres');
  if (server === undefined) {
    throw new Error(
      'no PostgreSQL server: vitest.config.ts must list test/support/postgres-global.ts in globalSetup',
    );
  }
  return server;
}

export interface FreshDatabase {
  /** Connection URL of the new, empty database. */
  readonly url: string;
  /** Name of the database, `overseer_test_` and 16 hex digits. */
  readonly name: string;
  /** Drop the database, ending any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/** Run one statement on the server's maintenance database, on a connection of its own. */
async function administer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Create a uniquely named empty database on the run's server. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const { url: serverUrl } = await postgresServer();
  const name = `overseer_test_${randomBytes(8).toString('hex')}`;
  const identifier = pg.escapeIdentifier(name);
  await administer(serverUrl, `CREATE DATABASE ${identifier}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // WITH (FORCE) (PostgreSQL 13+) ends the connections a failed test left open.
    drop: () => administer(serverUrl, `DROP DATABASE IF EXISTS ${identifier} WITH (FORCE)`),
  };
}
