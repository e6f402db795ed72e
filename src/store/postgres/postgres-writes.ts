import type { CompactOptions, OwnerClaim, StoredTeamRun } from '../store.js';
import { TERMINAL_KINDS } from './postgres-migrations.js';
import type { SqlOp } from './sql-op.js';

const op = (text: string, ...values: unknown[]): SqlOp => ({ text, values });

export type PostgresWrites = ReturnType<typeof postgresWrites>;

/** The statements, with the store's tables named by `q`. */
export function postgresWrites(
  q: (table: string) => string,
  options: { readonly takeOver?: boolean } = {},
) {
  const claim = `INSERT INTO ${q('owner')} (id, holder, until) VALUES (1, $1, $2)`;
  // A finished task's records before its last: all but its end, since nothing follows an end.
  const TERMINAL_BEFORE_LAST = `task_id IN (SELECT task_id FROM ${q('tasks')} WHERE finished_at IS NOT NULL)
    AND kind NOT IN ${TERMINAL_KINDS}`;
  return {
    /**
     * Taken only from the same holder or an expired claim, else the batch fails; or, under a
     * leader lease (`takeOver`), from anyone: the lease's epoch is what fences the writers.
     */
    claimOwner: (c: OwnerClaim): SqlOp => ({
      ...(options.takeOver
        ? op(
            `${claim} ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, until = excluded.until`,
            c.holder,
            c.until,
          )
        : op(
            `${claim} ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE ${q('owner')}.holder = excluded.holder OR ${q('owner')}.until <= $3`,
            c.holder,
            c.until,
            c.now,
          )),
      mustAffect: `the store is claimed by another system (${c.holder} could not claim it)`,
      claims: true,
    }),
    releaseOwner: (holder: string) =>
      op(`DELETE FROM ${q('owner')} WHERE id = 1 AND holder = $1`, holder),
    putTeamRun: (run: StoredTeamRun, data: string) =>
      op(
        `INSERT INTO ${q('team_runs')} (run_id, at, data) VALUES ($1, $2, $3)
         ON CONFLICT (run_id) DO UPDATE SET at = excluded.at, data = excluded.data,
           saved = nextval(pg_get_serial_sequence('${q('team_runs')}', 'saved'))`,
        run.runId,
        run.at,
        data,
      ),
    /**
     * Submissions taken into the store (with the refused ones' reasons), and cancellations
     * applied, in its batch.
     */
    ingested(
      seqs: readonly number[],
      rejections: readonly { taskId: string; error: string }[],
      cancellations: readonly number[],
    ) {
      const ops: SqlOp[] = [];
      if (seqs.length > 0)
        ops.push(op(`DELETE FROM ${q('submissions')} WHERE seq = ANY($1)`, seqs));
      if (cancellations.length > 0)
        ops.push(op(`DELETE FROM ${q('cancellations')} WHERE seq = ANY($1)`, cancellations));
      for (const r of rejections)
        ops.push(
          op(
            `INSERT INTO ${q('rejections')} (task_id, error) VALUES ($1, $2) ON CONFLICT (task_id) DO NOTHING`,
            r.taskId,
            r.error,
          ),
        );
      return ops;
    },
    deleteTeamRun: (runId: string) => op(`DELETE FROM ${q('team_runs')} WHERE run_id = $1`, runId),
    /** The same compaction as the mirror's (and the SQLite store's). */
    compact({ now, retainTerminalMs }: CompactOptions): SqlOp[] {
      const ops: SqlOp[] = [];
      if (retainTerminalMs !== undefined && Number.isFinite(retainTerminalMs)) {
        const old = `SELECT task_id FROM ${q('tasks')} WHERE finished_at IS NOT NULL AND finished_at + $1 <= $2`;
        ops.push(
          op(`DELETE FROM ${q('task_records')} WHERE task_id IN (${old})`, retainTerminalMs, now),
          op(
            `DELETE FROM ${q('tasks')} WHERE finished_at IS NOT NULL AND finished_at + $1 <= $2`,
            retainTerminalMs,
            now,
          ),
        );
      }
      ops.push(
        op(`DELETE FROM ${q('task_records')} WHERE ${TERMINAL_BEFORE_LAST}`),
        // A finished task keeps its last record, its end: the history in its row goes.
        op(`UPDATE ${q('tasks')} SET history = '' WHERE finished_at IS NOT NULL AND history <> ''`),
        op(
          `DELETE FROM ${q('agent_records')} WHERE seq <
             (SELECT max(a.seq) FROM ${q('agent_records')} a WHERE a.agent_id = ${q('agent_records')}.agent_id)`,
        ),
      );
      return ops;
    },
  };
}
