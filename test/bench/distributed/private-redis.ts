// A redis-server of the bench's own for BullMQ (baselines/redis-server.ts starts it: found
// on PATH, a free loopback port, ready once it answers PING), with the given persistence
// flags and its working directory a fresh folder under os.tmpdir(), removed by close().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateRedisServer } from '../baselines/redis-server.js';

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
  try {
    const redis = await privateRedisServer([...flags, '--dir', dir]);
    return {
      url: redis.url,
      close: async () => {
        await redis.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
