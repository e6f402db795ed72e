// A redis-server of the bench's own for BullMQ: found on PATH, on a free loopback port,
// its working directory a fresh folder under os.tmpdir() (removed by close()), started
// with the given persistence flags; close() kills it. Ready once it answers PING.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

const READY_TIMEOUT_MS = 10_000;

/** Every write fsynced to the append-only file before Redis replies: equal durability. */
export const DURABLE_FLAGS = ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
/** Redis's default of no AOF; RDB snapshots off too, so no fork lands inside a run. */
export const DEFAULT_FLAGS = ['--save', '', '--appendonly', 'no'];

export interface PrivateRedis {
  readonly url: string;
  close(): Promise<void>;
}

export async function startPrivateRedis(flags: readonly string[]): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-redis-'));
  const port = await freeLoopbackPort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...flags],
    { stdio: 'ignore' },
  );
  const exited = once(server, 'exit');
  const killServer = () => server.kill('SIGKILL');
  process.on('exit', killServer);
  const close = async () => {
    process.off('exit', killServer);
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  try {
    await untilPing(url, server.pid);
    return { url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function untilPing(url: string, pid: number | undefined): Promise<void> {
  if (pid === undefined) throw new Error('redis-server did not start (is it on PATH?)');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`redis-server at ${url} never answered PING`, { cause: error });
      await sleep(25);
    } finally {
      client.disconnect();
    }
  }
}

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}
