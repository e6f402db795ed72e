// The leader's intake of clients' cancellations (`connectCluster(...).cancel`): each request
// row cancels its task as `system.cancel` does, and goes once that is durable, in a later
// batch, so a leader that dies between the two leaves the request for the next one, which
// applies it again (cancelling a task that ended changes nothing). One for a task whose
// submission waits for its QoS class's room takes it in cancelled (`system.cancel`), or, for
// a task of a batch with others, stays until the batch enters cancelling it; one for a task
// whose submission is not taken in yet waits for it; one the cluster does not know goes.
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { knows } from './submission-units.js';

/** Requests read at a time. */
export const CANCELLATIONS_PER_READ = 500;

/**
 * Applies the waiting cancellations; true when there may be more. `taking`: whether a
 * submission of that task id is being taken in (read, not yet decided).
 */
export async function applyCancellations(
  system: OverseerSystem,
  store: PostgresStore,
  taking: (taskId: string) => boolean,
): Promise<boolean> {
  const { pool, q } = store.place;
  const { rows } = await pool.query<{ seq: string; task_id: string; reason: string }>(
    `SELECT seq, task_id, reason FROM ${q('cancellations')} ORDER BY seq
     LIMIT ${CANCELLATIONS_PER_READ}`,
  );
  if (rows.length === 0 || system.phase !== 'running') return false;
  // A task not in the system after its cancel is unknown, or waits with a batch its QoS
  // class delays: its cancel then holds until the batch enters (nothing of it is stored
  // before), so the request stays for a leader taking over meanwhile.
  const unknown = rows.filter(
    (row) => system.cancel(row.task_id, row.reason) === 'unknown' || !knows(system, row.task_id),
  );
  // Those whose submission is still on its way in wait for it (rare: looked up only then).
  const pending = new Set(unknown.filter((row) => taking(row.task_id)).map((r) => r.task_id));
  if (unknown.length > 0) {
    const { rows: submitted } = await pool.query<{ task_id: string }>(
      `SELECT DISTINCT task_id FROM ${q('submissions')} WHERE task_id = ANY($1)`,
      [unknown.map((row) => row.task_id)],
    );
    for (const row of submitted) pending.add(row.task_id);
  }
  const done = rows.filter((row) => !pending.has(row.task_id)).map((row) => Number(row.seq));
  if (done.length === 0) return false;
  await store.flush(); // the cancellations' effects durable first
  store.ingested([], [], done);
  await store.flush();
  return rows.length === CANCELLATIONS_PER_READ;
}
