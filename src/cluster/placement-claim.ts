// How a node claims a placement so that a supervisor's replicas spread over its nodes. A
// node takes a waiting placement only when no other live, non-draining node offering that
// agent hosts fewer placements than it does (all agents counted): the one statement reads
// the loads and claims on the database's clock, and a node's own count only grows by its
// own claims, one at a time, so nodes woken together never pile everything on one (their
// counts stay within one of each other). A backstop keeps a placement from being stranded
// behind a node that heartbeats but claims nothing (hung, or slow): once it has waited
// longer than the bound (`claimBackstopMs`), any node offering it may take it. A node alone
// takes them all; nodes judge each other live as the supervisor does (NODE_STALE_MS).
// Only placements and peers of the node's own cluster protocol count (cluster-protocol.ts).
import type pg from 'pg';
import { statementName } from '../store/postgres/sql-op.js';
import { CLUSTER_PROTOCOL, type ProtocolColumn } from './cluster-protocol.js';
import { NODE_STALE_MS } from './supervisor-link.js';

/** A placement waiting this long may be claimed by any node offering it, in ms. */
export const CLAIM_BACKSTOP_MS = 1_000;

/** The backstop of a node polling every `pollMs`: 1 s, or two polls if that is longer. */
export const claimBackstopMs = (pollMs: number): number => Math.max(CLAIM_BACKSTOP_MS, 2 * pollMs);

export interface ClaimedPlacement {
  readonly channel: string;
  readonly supervisor: string;
  readonly data: string;
}

/**
 * Claims the oldest waiting placement of an agent `offers` names that this node may take now
 * (see above), or none. `q` names the cluster's tables.
 */
export async function claimPlacement(
  pool: pg.Pool,
  q: (table: string) => string,
  nodeId: string,
  offers: readonly string[],
  backstopMs: number,
): Promise<ClaimedPlacement | undefined> {
  const text = `WITH peer AS (
      SELECT n.node_id, n.agents::jsonb AS offers,
        (SELECT count(*) FROM ${q('placements')} o WHERE o.node_id = n.node_id) AS placed
      FROM ${q('nodes')} n
      WHERE n.node_id <> $1 AND NOT n.draining AND n.protocol = $5
        AND n.heartbeat_at >= now() - $3 * interval '1 millisecond'),
    mine AS (SELECT count(*) AS placed FROM ${q('placements')} WHERE node_id = $1)
    UPDATE ${q('placements')} SET node_id = $1, claimed_at = now() WHERE channel IN (
      SELECT w.channel FROM ${q('placements')} w
      WHERE w.node_id IS NULL AND w.agent_id = ANY($2) AND w.protocol = $5
        AND (w.created_at < now() - $4 * interval '1 millisecond'
          OR NOT EXISTS (SELECT 1 FROM peer, mine WHERE peer.placed < mine.placed
            AND peer.offers @> jsonb_build_array(w.agent_id)))
      ORDER BY w.created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING channel, supervisor, data`;
  const { rows } = await pool.query<ClaimedPlacement>({
    name: statementName(text),
    text,
    values: [nodeId, offers, NODE_STALE_MS, backstopMs, CLUSTER_PROTOCOL],
  });
  return rows[0];
}

/** A waiting placement of an agent this node offers, asked for in another protocol. */
export interface ForeignPlacement {
  readonly agentId: string;
  readonly supervisor: string;
  readonly protocol: ProtocolColumn;
}

/**
 * The waiting placements of agents `offers` names that no node of this protocol may claim,
 * by supervisor and agent, once they waited past `backstopMs`.
 */
export async function foreignPlacements(
  pool: pg.Pool,
  q: (table: string) => string,
  offers: readonly string[],
  backstopMs: number,
): Promise<ForeignPlacement[]> {
  const { rows } = await pool.query<ForeignPlacement>(
    `SELECT DISTINCT agent_id AS "agentId", supervisor, protocol FROM ${q('placements')}
     WHERE node_id IS NULL AND agent_id = ANY($1) AND protocol IS DISTINCT FROM $2
       AND created_at < now() - $3 * interval '1 millisecond'`,
    [offers, CLUSTER_PROTOCOL, backstopMs],
  );
  return rows;
}
