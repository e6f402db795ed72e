// The leader's intake of clients' submissions: rows a client inserted (durable once there)
// become tasks of the leader's system. A submission the system accepts at once leaves the
// table in the same transaction that stores its task, so each is taken exactly once,
// whoever leads; one decided later (a QoS class that delays, a refusal) leaves with its
// outcome in a later batch, a refusal keeping its reason for the client, for a day. Clients'
// cancellations come in on the same wake-ups (cancellation-intake.ts); a submission whose
// cancellation already waits is taken in cancelled, never dispatched. While it takes them
// in, the leader also tells clients of its tasks' progress (progress-relay.ts).
import { SUBMITTED_TOPIC } from '../store/postgres/notify-names.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { validateIntakeOptions } from '../validation/validate-cluster-options.js';
import { applyCancellations } from './cancellation-intake.js';
import { relayProgress } from './progress-relay.js';
import { enter, refusalOf, type SubmissionRow, unitsOf } from './submission-units.js';
import { listenFor } from './topic-listener.js';

/** How long a refusal's reason stays for its client's `result()`, in ms: a day. */
export const REJECTION_RETAIN_MS = 86_400_000;
/** Submissions read at a time (and the rest of any batch begun among them). */
const PAGE_ROWS = 500;
/** How often the intake forgets refusals past REJECTION_RETAIN_MS, in ms. */
const FORGET_EVERY_MS = 600_000;

export interface Intake {
  close(): Promise<void>;
}

/**
 * Takes clients' submissions (and cancellations) into `system`, whose store is `store`, and
 * relays its tasks' progress to them, until closed.
 */
export async function takeSubmissions(
  system: OverseerSystem,
  store: PostgresStore,
  options: { readonly pollMs?: number } = {},
): Promise<Intake> {
  validateIntakeOptions(system, store, options);
  const { pool, q, schema } = store.place;
  /** Submissions being taken in (read, not yet decided): their task ids by seq. */
  const taking = new Map<number, string>();
  const decided: { seq: number; rejection?: { taskId: string; error: string } }[] = [];
  let reading = false;
  let again = false;
  let closed = false;
  /** When refusals past their retention were last forgotten (0: not yet). */
  let forgotAt = 0;

  const read = async () => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      // Each with the reason of a cancellation already waiting for it, if any (the table of
      // waiting cancellations is small: each goes once applied); a batch read whole. The
      // rows are found through their indexes (seq, batch) by the arrays `page` gives, so a
      // read costs the same however many submissions wait.
      const { rows } = await pool.query<SubmissionRow>(
        `WITH page AS MATERIALIZED (
           SELECT seq, batch FROM ${q('submissions')} ORDER BY seq LIMIT ${PAGE_ROWS})
         SELECT s.seq, s.task_id, s.spec, s.batch, c.reason AS cancel
         FROM ${q('submissions')} s
         LEFT JOIN (SELECT DISTINCT ON (task_id) task_id, reason FROM ${q('cancellations')}
                    ORDER BY task_id, seq) c USING (task_id)
         WHERE s.seq = ANY (ARRAY(SELECT seq FROM page))
            OR s.batch = ANY (ARRAY(SELECT DISTINCT batch FROM page WHERE batch IS NOT NULL))
         ORDER BY s.seq`,
      );
      if (closed || system.phase !== 'running') return;
      const now: number[] = [];
      for (const unit of unitsOf(rows)) {
        if (unit.seqs.some((seq) => taking.has(seq))) continue;
        for (const [i, row] of unit.rows.entries()) taking.set(unit.seqs[i] as number, row.task_id);
        const { submitted, known } = enter(system, unit);
        if (known) now.push(...unit.seqs);
        submitted.then(
          () => {
            if (!known) for (const seq of unit.seqs) decided.push({ seq });
          },
          (error: unknown) => {
            if (known) return; // accepted, then its write failed: the store reports it
            const refusal = refusalOf(system, unit, error);
            unit.rows.forEach((row, i) => {
              const seq = unit.seqs[i] as number;
              decided.push(
                refusal === undefined
                  ? { seq }
                  : { seq, rejection: { taskId: row.task_id, error: refusal } },
              );
            });
          },
        );
      }
      const later = decided.splice(0);
      const seqs = [...now, ...later.map((d) => d.seq)];
      const rejections = later.flatMap((d) => (d.rejection ? [d.rejection] : []));
      if (seqs.length > 0) {
        store.ingested(seqs, rejections);
        await store.flush().catch(() => undefined);
        for (const seq of seqs) taking.delete(seq);
      }
      if (rows.length >= PAGE_ROWS || decided.length > 0) again = true;
      const isTaking = (taskId: string) => [...taking.values()].includes(taskId);
      if (await applyCancellations(system, store, isTaking)) again = true;
      if (Date.now() - forgotAt >= FORGET_EVERY_MS) {
        forgotAt = Date.now();
        await pool.query(
          `DELETE FROM ${q('rejections')} WHERE at < now() - $1 * interval '1 millisecond'`,
          [REJECTION_RETAIN_MS],
        );
      }
    } catch {
      // The database is unreachable: the next poll reads again.
    } finally {
      reading = false;
      if (again && !closed) {
        again = false;
        setImmediate(() => void read());
      }
    }
  };
  // Woken by clients' notices; polling goes on behind them (and after a broken listener).
  const listener = await listenFor(pool, schema, SUBMITTED_TOPIC, () => void read());
  const relay = relayProgress(system, pool, schema);
  const timer = setInterval(() => void read(), options.pollMs ?? 200);
  timer.unref();
  void read();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      listener.drop();
      relay.close();
    },
  };
}
