// The leader lease in one process: taken with the next epoch, refused while held, renewed on
// demand (a leader about to rebuild its system renews first, so the rebuild starts with the
// whole lease ahead of it), and given up.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { lead } from '../../src/cluster/leadership.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

async function leaderRow(url: string, schema: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ holder: string; epoch: string; until: Date }>(
      `SELECT holder, epoch, until FROM "${schema}".leader`,
    );
    return rows[0];
  } finally {
    await db.end();
  }
}

describe('the leader lease', () => {
  it('is renewed on demand: its expiry moves on, by the database clock', async () => {
    const url = await dir.postgresUrl();
    const leadership = await lead({ db: url, schema: 'renewed', holder: 'a', leaseMs: 60_000 });
    try {
      const before = await leaderRow(url, 'renewed');
      expect(before).toMatchObject({ holder: 'a', epoch: String(leadership.epoch) });
      await leadership.renewNow();
      const after = await leaderRow(url, 'renewed');
      expect(after?.until.getTime()).toBeGreaterThan(before?.until.getTime() ?? Infinity);
    } finally {
      await leadership.release();
    }
  });

  it('is given up for the next leader, who takes it with the next epoch', async () => {
    const url = await dir.postgresUrl();
    const first = await lead({ db: url, schema: 'handed', holder: 'a', leaseMs: 60_000 });
    await first.release();
    expect(await first.lost).toBe('released');
    const second = await lead({ db: url, schema: 'handed', holder: 'b', leaseMs: 60_000 });
    try {
      expect(second.epoch).toBe(first.epoch + 1);
      expect(await leaderRow(url, 'handed')).toMatchObject({ holder: 'b' });
    } finally {
      await second.release();
    }
  });
});
