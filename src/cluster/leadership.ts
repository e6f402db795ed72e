// Supervisor failover: several processes may run the supervisor; one holds the leader
// lease, a row with holder, epoch and expiry set by the database clock (no process's clock
// decides). The others wait and take over when it expires, with the next epoch. The leader
// renews every third of the lease; when a renewal fails, or cannot be made before the lease
// would end by its own reckoning, it has lost the lease and must step down. Its store checks
// the epoch in every batch (postgresStore's `leader` option), so a deposed leader that
// wakes up late lands nothing.
import { hostname } from 'node:os';
import { nanoid } from 'nanoid';
import pg from 'pg';
import { migratePostgres, tableNamer } from '../store/postgres/postgres-schema.js';
import { validateLeadOptions } from '../validation/validate-cluster-options.js';

export interface LeadOptions {
  readonly db: string | pg.Pool;
  readonly schema?: string;
  /** Who this process is, as the leader row names it. Default host:pid:random. */
  readonly holder?: string;
  /** How long the lease lasts without renewal, in ms. Default 5,000. */
  readonly leaseMs?: number;
  /** How often a standby tries to take over, in ms. Default a fifth of the lease. */
  readonly pollMs?: number;
}

export interface Leadership {
  readonly holder: string;
  readonly epoch: number;
  readonly leaseMs: number;
  /** Resolves with why, once the lease is lost: the process must stop acting as leader. */
  readonly lost: Promise<string>;
  /**
   * Renews the lease now, so a piece of work that keeps the event loop (rebuilding a system
   * from its store) starts with the whole lease ahead of it; renewals go on from here.
   */
  renewNow(): Promise<void>;
  /** Gives the lease up (a standby takes over at once). */
  release(): Promise<void>;
}

/** Waits until this process holds the leader lease; resolves with it. */
export async function lead(options: LeadOptions): Promise<Leadership> {
  validateLeadOptions(options);
  const owned = typeof options.db === 'string';
  const pool =
    typeof options.db === 'string'
      ? new pg.Pool({ connectionString: options.db, max: 2 })
      : options.db;
  pool.on('error', () => undefined);
  const schema = options.schema ?? 'overseer';
  const q = tableNamer(schema);
  await migratePostgres(pool, schema, `leader lease of ${schema}`);
  const holder = options.holder ?? `${hostname()}:${process.pid}:${nanoid(6)}`;
  const leaseMs = options.leaseMs ?? 5_000;
  const pollMs = options.pollMs ?? Math.max(10, Math.round(leaseMs / 5));
  let epoch: number | undefined;
  let heldUntil = 0; // by this process's monotonic clock: the latest it may act as leader
  for (;;) {
    const asked = performance.now();
    const taken = await pool
      .query<{ epoch: string }>(
        `INSERT INTO ${q('leader')} (id, holder, epoch, until)
           VALUES (1, $1, 1, now() + $2 * interval '1 millisecond')
         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, epoch = ${q('leader')}.epoch + 1,
           until = excluded.until
         WHERE ${q('leader')}.until < now() RETURNING epoch`,
        [holder, leaseMs],
      )
      .catch(() => ({ rows: [] as { epoch: string }[] }));
    const row = taken.rows[0];
    if (row) {
      epoch = Number(row.epoch);
      heldUntil = asked + leaseMs;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const held = epoch;
  let timer: NodeJS.Timeout | undefined;
  let settle: (why: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    settle = (why) => {
      clearTimeout(timer);
      resolve(why);
    };
  });
  let over = false;
  const end = (why: string) => {
    if (over) return;
    over = true;
    settle(why);
  };
  const renew = async () => {
    if (over) return;
    const asked = performance.now();
    if (asked >= heldUntil) return end(`the lease of epoch ${held} ran out before it was renewed`);
    try {
      const { rowCount } = await pool.query(
        `UPDATE ${q('leader')} SET until = now() + $3 * interval '1 millisecond'
         WHERE id = 1 AND holder = $1 AND epoch = $2 AND until > now()`,
        [holder, held, leaseMs],
      );
      if (rowCount === 0) return end(`another supervisor took the lease over from epoch ${held}`);
      heldUntil = asked + leaseMs;
    } catch (error) {
      if (performance.now() >= heldUntil)
        return end(`the lease of epoch ${held} could not be renewed: ${(error as Error).message}`);
    }
    if (!over) timer = setTimeout(() => void renew(), Math.max(10, Math.round(leaseMs / 3)));
  };
  timer = setTimeout(() => void renew(), Math.max(10, Math.round(leaseMs / 3)));
  // Steps down by its own reckoning too, even if the renewal query hangs.
  const watchdog = setInterval(
    () => {
      if (performance.now() >= heldUntil) end(`the lease of epoch ${held} ran out`);
    },
    Math.max(10, Math.round(leaseMs / 10)),
  );
  watchdog.unref();
  lost.finally(() => clearInterval(watchdog)).catch(() => undefined);
  return {
    holder,
    epoch: held,
    leaseMs,
    lost,
    renewNow() {
      clearTimeout(timer);
      return renew();
    },
    async release() {
      end('released');
      await pool
        .query(
          `UPDATE ${q('leader')} SET until = now() - interval '1 millisecond' WHERE id = 1 AND holder = $1 AND epoch = $2`,
          [holder, held],
        )
        .catch(() => undefined);
      if (owned) await pool.end();
    },
  };
}
