// A node's row in `nodes`: what it offers, its protocol, and its heartbeat, by which
// supervisors and the other nodes tell it is alive. A node that stops cleanly deletes its
// row; one that dies (SIGKILL, a lost machine) leaves it, shown dead by `overseer status`,
// until a live node forgets it, DEAD_NODE_RETAIN_MS after its last heartbeat: a cluster
// whose nodes come and go (a deployment's pods) does not list every node it ever had. A node
// forgotten while it was only stopped (a paused machine) writes its row again on its next
// heartbeat: the heartbeat inserts the row when it is gone.
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { CLUSTER_PROTOCOL } from './cluster-protocol.js';

/** How long a dead node's row stays after its last heartbeat, in ms: an hour. */
export const DEAD_NODE_RETAIN_MS = 3_600_000;
/** How often a node looks for dead nodes' rows to forget, in ms. */
const FORGET_EVERY_MS = 60_000;

export class NodeRow {
  #forgotAt = 0;
  #left = false;
  #beating: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly q: (table: string) => string,
    readonly nodeId: string,
    private readonly offers: readonly string[],
    private readonly logger: Logger,
  ) {}

  /**
   * Writes the row, or refreshes its heartbeat and draining flag (the row again if another
   * node forgot it meanwhile); now and then forgets the rows of nodes dead for long.
   */
  async beat(draining = false): Promise<void> {
    if (this.#left) return;
    this.#beating = this.#beat(draining);
    await this.#beating;
  }

  async #beat(draining: boolean): Promise<void> {
    const q = this.q;
    await this.pool.query(
      `INSERT INTO ${q('nodes')} (node_id, host, pid, agents, protocol, draining)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now(), draining = EXCLUDED.draining`,
      [
        this.nodeId,
        hostname(),
        process.pid,
        JSON.stringify(this.offers),
        CLUSTER_PROTOCOL,
        draining,
      ],
    );
    // The heartbeat landed whatever becomes of this: it is tried again a minute later.
    if (Date.now() - this.#forgotAt >= FORGET_EVERY_MS)
      await this.#forgetDead().catch(() => undefined);
  }

  /** Says at once that it drains: other nodes stop leaving placements to it. */
  async draining(): Promise<void> {
    await this.pool.query(`UPDATE ${this.q('nodes')} SET draining = true WHERE node_id = $1`, [
      this.nodeId,
    ]);
  }

  /** Deletes the row, once a heartbeat on its way landed: the node leaves the cluster. */
  async leave(): Promise<void> {
    // A heartbeat still on its way would write the row again after the delete.
    this.#left = true;
    await this.#beating?.catch(() => undefined);
    await this.pool.query(`DELETE FROM ${this.q('nodes')} WHERE node_id = $1`, [this.nodeId]);
  }

  async #forgetDead(): Promise<void> {
    this.#forgotAt = Date.now();
    const { rows } = await this.pool.query<{ node_id: string; heartbeat_at: Date }>(
      `DELETE FROM ${this.q('nodes')} WHERE heartbeat_at < now() - $1 * interval '1 millisecond'
       RETURNING node_id, heartbeat_at`,
      [DEAD_NODE_RETAIN_MS],
    );
    for (const r of rows)
      this.logger.info(
        { nodeId: this.nodeId, forgot: r.node_id, lastHeartbeat: r.heartbeat_at.toISOString() },
        `node ${this.nodeId} forgot node ${r.node_id}: no heartbeat since ${r.heartbeat_at.toISOString()}`,
      );
  }
}
