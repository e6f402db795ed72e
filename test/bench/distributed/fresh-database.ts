// A fresh database for one system's run, on the PostgreSQL server at OVERSEER_PG_URL
// (default: the local server, trust auth), dropped afterwards whatever happened.
import pg from 'pg';

export const serverUrl =
  process.env.OVERSEER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function onFreshDatabase<T>(use: (url: string) => Promise<T>): Promise<T> {
  const name = `bench_distributed_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      return await use(url.toString());
    } finally {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
