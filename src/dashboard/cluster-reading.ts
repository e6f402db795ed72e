// What the dashboard of a PostgreSQL cluster reads, read-only, straight from the store's
// tables (no system runs here): the leader lease, the nodes and the agents placed on them,
// tasks by state, and the most recent tasks (or those matching a search).
import pg from 'pg';
import type { ProtocolColumn } from '../cluster/cluster-protocol.js';
import {
  type RemoteTaskTaken,
  readRemoteHistory,
  readRemoteStatus,
} from '../cluster/remote-status.js';
import { StoreOpenFailed, SubmissionRefused, UnknownTask } from '../errors/index.js';
import { tableNamer } from '../store/postgres/postgres-schema.js';
import { clusterTrail } from './cluster-trail.js';
import type { TaskRow, TaskTrail } from './task-trails.js';

export interface ClusterReading {
  /** Wall clock of the reading, ms. */
  readonly at: number;
  readonly leader: {
    readonly holder: string;
    readonly epoch: number;
    readonly live: boolean;
  } | null;
  readonly nodes: readonly {
    readonly nodeId: string;
    readonly host: string;
    readonly pid: number;
    readonly heartbeatAgeMs: number;
    readonly draining: boolean;
    /** The cluster protocol it speaks (null: from before protocols). */
    readonly protocol: ProtocolColumn;
  }[];
  readonly placements: readonly {
    readonly agentId: string;
    readonly nodeId: string | null;
    /** The cluster protocol its supervisor placed it in (a node claims only its own). */
    readonly protocol: ProtocolColumn;
  }[];
  readonly tasks: Readonly<Record<string, number>>;
  readonly recent: readonly TaskRow[];
}

export class ClusterReader {
  readonly #pool: pg.Pool;
  readonly #q: (table: string) => string;

  constructor(
    private readonly url: string,
    schema: string,
  ) {
    this.#pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
    this.#pool.on('error', () => undefined);
    this.#q = tableNamer(schema);
  }

  async read(): Promise<ClusterReading> {
    const q = this.#q;
    try {
      const [leader, nodes, placements, tasks, recent] = await Promise.all([
        this.#pool.query<{ holder: string; epoch: string; live: boolean }>(
          `SELECT holder, epoch, until > now() AS live FROM ${q('leader')}`,
        ),
        this.#pool.query<{
          node_id: string;
          host: string;
          pid: number;
          age: number;
          draining: boolean;
          protocol: ProtocolColumn;
        }>(
          // The protocol through the row's JSON: NULL on a store from before schema 11 too.
          `SELECT node_id, host, pid, extract(epoch FROM now() - heartbeat_at) * 1000 AS age, draining,
             (to_jsonb(n)->>'protocol')::int AS protocol FROM ${q('nodes')} n ORDER BY node_id`,
        ),
        this.#pool.query<{ agent_id: string; node_id: string | null; protocol: ProtocolColumn }>(
          `SELECT agent_id, node_id, (to_jsonb(p)->>'protocol')::int AS protocol
           FROM ${q('placements')} p ORDER BY agent_id`,
        ),
        this.#pool.query<{ state: string; n: string }>(
          `SELECT state, count(*) AS n FROM ${q('tasks')} GROUP BY state`,
        ),
        this.search('', 100),
      ]);
      const head = leader.rows[0];
      return {
        at: Date.now(),
        leader: head ? { holder: head.holder, epoch: Number(head.epoch), live: head.live } : null,
        nodes: nodes.rows.map((r) => ({
          nodeId: r.node_id,
          host: r.host,
          pid: r.pid,
          heartbeatAgeMs: Number(r.age),
          draining: r.draining,
          protocol: r.protocol,
        })),
        placements: placements.rows.map((r) => ({
          agentId: r.agent_id,
          nodeId: r.node_id,
          protocol: r.protocol,
        })),
        tasks: Object.fromEntries(tasks.rows.map((r) => [r.state, Number(r.n)])),
        recent,
      };
    } catch (cause) {
      throw new StoreOpenFailed(this.url.replace(/:[^:@/]*@/, '@'), { cause });
    }
  }

  /** The newest tasks whose id, type, state or agent contains `query`. */
  async search(query: string, limit: number): Promise<TaskRow[]> {
    const like = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.#pool.query<{
      task_id: string;
      type: string | null;
      state: string;
      attempt: number;
      agent_id: string | null;
      submitted_at: number;
      updated_at: number;
    }>(
      `SELECT task_id, spec::json->>'type' AS type, state, attempt, agent_id, submitted_at, updated_at
       FROM ${this.#q('tasks')}
       WHERE $1 = '%%' OR task_id ILIKE $1 OR spec::json->>'type' ILIKE $1 OR state ILIKE $1 OR agent_id ILIKE $1
       ORDER BY seq DESC LIMIT $2`,
      [like, limit],
    );
    return rows.rows.map((r) => ({
      id: r.task_id,
      type: r.type ?? '',
      state: r.state,
      attempts: r.attempt,
      agentId: r.agent_id ?? undefined,
      submittedAt: r.submitted_at,
      updatedAt: r.updated_at,
    }));
  }

  /** Task `taskId`'s status and trail, from its row and its records; undefined when none is stored. */
  async task(taskId: string): Promise<{ status: RemoteTaskTaken; trail: TaskTrail } | undefined> {
    const ref = { id: taskId, key: undefined };
    try {
      const status = await readRemoteStatus(this.#pool, this.#q, ref);
      if (status.state === 'submitted') return undefined;
      const history = await readRemoteHistory(this.#pool, this.#q, ref);
      return { status, trail: clusterTrail(status, history) };
    } catch (error) {
      if (error instanceof UnknownTask || error instanceof SubmissionRefused) return undefined;
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
