// The Redis the BullMQ baseline runs against: the one OVERSEER_BENCH_REDIS_URL (or
// REDIS_URL) names, or else a private redis-server from PATH on a free loopback port,
// without persistence, stopped again by close(). Either must answer PING within 10 s;
// when neither can, benchRedis() rejects with the reason, for the scenario to report.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { Redis } from 'ioredis';

const READY_TIMEOUT_MS = 10_000;
const RECONNECT_MS = 25;
const LOG_TAIL_CHARS = 2_000;

export interface BenchRedis {
  /** Where to connect, e.g. redis://127.0.0.1:41234. */
  readonly url: string;
  /** Which Redis this is, for the notes (a configured URL shows without its password). */
  readonly description: string;
  /** Stops the private server; a configured Redis is left as it was. */
  close(): Promise<void>;
}

export async function benchRedis(): Promise<BenchRedis> {
  for (const variable of ['OVERSEER_BENCH_REDIS_URL', 'REDIS_URL']) {
    const url = process.env[variable];
    if (!url) continue;
    const version = await redisVersion(url);
    return {
      url,
      description: `${variable} ${withoutPassword(url)} (Redis ${version})`,
      close: async () => {},
    };
  }
  return privateRedisServer();
}

/** A redis-server of the bench's own, with `flags` (default: no persistence). */
export async function privateRedisServer(
  flags: readonly string[] = ['--save', '', '--appendonly', 'no'],
): Promise<BenchRedis> {
  const port = await freeLoopbackPort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keepTail = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };
  server.stdout.on('data', keepTail);
  server.stderr.on('data', keepTail);
  const exited = new Promise<string>((resolve) =>
    server.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)),
  );
  const spawnFailed = new Promise<never>((_, reject) =>
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'no redis-server on PATH and OVERSEER_BENCH_REDIS_URL unset'
            : `redis-server did not start: ${error.message}`,
        ),
      ),
    ),
  );
  const exitedEarly = exited.then((how): never => {
    const lastLine = log.trim().split('\n').at(-1) ?? '';
    throw new Error(`redis-server exited (${how}) before answering PING: ${lastLine}`);
  });
  const failedToStart = Promise.race([spawnFailed, exitedEarly]);
  // Should the scenario's process end without close(), the server must not outlive it.
  const killServer = () => server.kill();
  process.on('exit', killServer);
  const stop = async () => {
    process.off('exit', killServer);
    if (server.pid === undefined || server.exitCode !== null || server.signalCode !== null) return;
    server.kill();
    await exited;
  };
  const url = `redis://127.0.0.1:${port}`;
  try {
    const version = await redisVersion(url, failedToStart);
    return { url, description: `private redis-server ${version} on port ${port}`, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The version of the Redis at `url` once it answers PING, retrying the connection until
 * then; rejects after READY_TIMEOUT_MS, or as soon as `givenUp` does.
 */
async function redisVersion(
  url: string,
  givenUp: Promise<never> = new Promise(() => {}),
): Promise<string> {
  const client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => RECONNECT_MS });
  let lastError = 'no reply';
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `${withoutPassword(url)} did not answer PING within ${READY_TIMEOUT_MS / 1_000} s (${lastError})`,
          ),
        ),
      READY_TIMEOUT_MS,
    );
  });
  const ready = async () => {
    await client.ping();
    return /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'of unknown version';
  };
  try {
    return await Promise.race([ready(), timedOut, givenUp]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
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

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
