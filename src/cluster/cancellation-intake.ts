// The leader's intake of clients' cancellations (`connectCluster(...).cancel`): each request
// row cancels its task as `system.cancel` does, and goes once that is durable, in a later
// batch, so a leader that dies between the two leaves the request for the next one, which
// applies it again (cancelling a task that ended changes nothing). A request for a task whose
// submission is not taken in yet waits for it; one for a task the cluster does not know goes.
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import type { OverseerSystem } from '../system/overseer-system.js';

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
  const { rows } = await pool.query<{
    seq: string;
    task_id: string;
    reason: string;
    submitted: boolean;
  }>(
    `SELECT c.seq, c.task_id, c.reason,
       EXISTS (SELECT 1 FROM ${q('submissions')} s WHERE s.task_id = c.task_id) AS submitted
     FROM ${q('cancellations')} c ORDER BY c.seq LIMIT ${CANCELLATIONS_PER_READ}`,
  );
  if (rows.length === 0 || system.phase !== 'running') return false;
  const done: number[] = [];
  for (const row of rows) {
    const outcome = system.cancel(row.task_id, row.reason);
    // Its submission still on its way in: the request waits for it.
    if (outcome === 'unknown' && (row.submitted || taking(row.task_id))) continue;
    done.push(Number(row.seq));
  }
  if (done.length === 0) return false;
  await store.flush(); // the cancellations' effects durable first
  store.ingested([], [], done);
  await store.flush();
  return rows.length === CANCELLATIONS_PER_READ;
}
