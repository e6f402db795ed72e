// The supervisor's side of the cluster: agents declared `runs: 'remote'` run on nodes
// (other processes, other machines) and speak the same versioned protocol as a thread or a
// child process, through the database. Each incarnation of a remote agent is a placement
// row a node claims; the supervisor's messages to it go to rows addressed to the
// placement's channel, its replies to rows addressed to this supervisor. The AgentHost on
// top is the one threads and processes use: heartbeats, attempts, crashes, restarts.
import { hostname } from 'node:os';
import { nanoid } from 'nanoid';
import type { AgentChannel, ChannelEvents } from '../isolation/agent-channel.js';
import type { AgentSideData } from '../isolation/agent-runner.js';
import type { Logger } from '../observability/logger.js';
import type { ClusterPlace } from '../store/postgres/cluster-place.js';
import { wakeChannel } from '../store/postgres/notify-names.js';
import { isConnectionError } from '../store/postgres/postgres-batches.js';
import { CLUSTER_PROTOCOL, type ProtocolColumn, protocolName } from './cluster-protocol.js';
import { Mailbox } from './mailbox.js';

/**
 * The name all nodes listen on for messages to their agents: a channel's messages wake it
 * until the node hosting the channel says the name it listens on alone (channel-ledger.ts).
 */
export const NODES_WAKE = 'nodes';
/**
 * The name nodes listen on for new placements (to claim one). Messages wake nodes on
 * NODES_WAKE, placements here, so a busy node reads its inbox on a message and tries a claim
 * only when there may be one to make.
 */
export const PLACEMENTS_WAKE = 'placements';

/** A control message beside the protocol: the node's side of the channel ended. */
export interface ChannelEnded {
  readonly v: 1;
  readonly type: 'channel.ended';
  readonly reason: string;
}

/** A node whose heartbeat is older than this (database clock) is taken for dead, in ms. */
export const NODE_STALE_MS = 3_000;

/** A placement row's data: what the agent side needs, and when its node stops its runs. */
export interface Placed extends AgentSideData {
  /**
   * A node whose messages have not got through for this long stops the incarnation's runs,
   * before its supervisor can take the agent for dead (its heartbeat timeout, less the
   * agent's heartbeat interval: the last beat through may be that old) and run the attempts
   * again elsewhere. (Its own heartbeat gone stale for NODE_STALE_MS stops them too.)
   */
  readonly outOfTouchMs?: number;
}

/** The silence after which the supervisor takes a busy agent for dead; where it says things. */
export interface LinkOptions {
  readonly heartbeatTimeoutMs: number;
  readonly logger: Logger;
}

/** A placement waiting this long is past a node's claim backstop (placement-claim.ts). */
const WAITED_MS = 1_000;

/** How a supervisor's inbox (a mailbox recipient) is named; a channel's never starts so. */
const SUPERVISOR = 'supervisor:';

export class SupervisorLink {
  readonly id = `${SUPERVISOR}${hostname()}:${process.pid}:${nanoid(6)}`;
  readonly #channels = new Map<string, ChannelEvents>();
  /**
   * Since when (this process's clock) the watch of dead nodes has reached the database without
   * a break: undefined while it cannot. Nodes could not heartbeat while it was away either.
   */
  #inTouchSince: number | undefined;
  #closed = false;
  readonly #mailbox: Mailbox;
  #opened: Promise<void> | undefined;
  #watch: NodeJS.Timeout | undefined;
  /** Nodes (and agents) of another protocol it said it cannot place on. */
  readonly #saidForeign = new Set<string>();
  #foreignCheckedAt = 0;

  constructor(
    private readonly place: ClusterPlace,
    private readonly options: LinkOptions,
  ) {
    this.#mailbox = new Mailbox(
      place.pool,
      place.schema,
      place.q('mailbox'),
      () => [this.id],
      [this.id],
      (messages) => {
        for (const { channel, body } of messages) {
          const on = this.#channels.get(channel);
          if (!on) continue; // a reply from an incarnation already terminated
          const ended = body as Partial<ChannelEnded>;
          if (ended.type === 'channel.ended') {
            this.#forget(channel);
            on.ended(ended.reason ?? 'its node ended it');
          } else on.message(body);
        }
      },
    );
  }

  /** The channel is over here: its messages are no longer numbered, nor sent again. */
  #forget(channel: string): void {
    this.#channels.delete(channel);
    this.#mailbox.closeChannel(channel);
  }

  /** Clears an earlier leader's placements and starts reading replies, once it succeeds. */
  #open(): Promise<void> {
    const { pool, q } = this.place;
    // One supervisor runs a store at a time: placements of any other are an earlier
    // leader's, and dropping them stops their incarnations on the nodes; what is left in
    // its inbox nobody reads.
    this.#opened ??= pool
      .query(
        `WITH inbox AS (DELETE FROM ${q('mailbox')} WHERE recipient LIKE '${SUPERVISOR}%' AND recipient <> $1)
         DELETE FROM ${q('placements')} WHERE supervisor <> $1`,
        [this.id],
      )
      .then(() => this.#mailbox.open())
      .then(() => {
        // Opening needs no grace: nothing was away.
        this.#inTouchSince = Date.now() - NODE_STALE_MS;
        this.#watch = setInterval(() => void this.#endOnDeadNodes(), NODE_STALE_MS / 3);
        this.#watch.unref();
      })
      .catch((error: unknown) => {
        // The database was unreachable: the next try opens it again.
        this.#opened = undefined;
        throw error;
      });
    return this.#opened;
  }

  /**
   * Writes the channel's placement row and wakes the nodes. While the database cannot be
   * reached it tries again, with backoff, for as long as the channel is wanted: its agent
   * waits in `starting` (no heartbeat is due there) instead of failing its start again and
   * again, which would spend its supervisor's restart intensity on the outage.
   */
  async #place(channel: string, data: AgentSideData, on: ChannelEvents): Promise<void> {
    const { pool, q, schema } = this.place;
    const outOfTouchMs = this.options.heartbeatTimeoutMs - data.heartbeatIntervalMs;
    const placed: Placed = { ...data, outOfTouchMs };
    for (
      let wait = 100;
      this.#channels.has(channel) && !this.#closed;
      wait = Math.min(wait * 2, 2_000)
    ) {
      try {
        await this.#open();
        await pool.query(
          `INSERT INTO ${q('placements')} (channel, agent_id, supervisor, data, protocol)
           VALUES ($1, $2, $3, $4, $5)`,
          [channel, data.exportName, this.id, JSON.stringify(placed), CLUSTER_PROTOCOL],
        );
        // (Terminated meanwhile: the sweep of placements nobody listens to drops the row.)
        // Nodes poll for placements anyway: a lost wake-up only costs a poll.
        await pool.query(`NOTIFY ${wakeChannel(schema, PLACEMENTS_WAKE)}`).catch(() => undefined);
        return;
      } catch (error) {
        // A row already there: an earlier try wrote it and its answer was lost.
        if ((error as { code?: unknown }).code === '23505') return;
        if (!isConnectionError(error)) {
          this.#forget(channel);
          on.ended(`remote agent ${data.agentId} could not be placed: ${String(error)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  }

  /**
   * A channel to a new incarnation of the agent, on whichever node claims it: a node that
   * offers the handler `data.exportName` (the declaration's id unless it names another).
   */
  openChannel(data: AgentSideData, on: ChannelEvents): AgentChannel {
    const { pool, q } = this.place;
    const channel = `${data.agentId}/${nanoid(10)}`;
    this.#channels.set(channel, on);
    this.#mailbox.openChannel(channel, channel, NODES_WAKE);
    void this.#place(channel, data, on);
    return {
      post: (message) => this.#mailbox.send(channel, message),
      terminate: () => {
        // The node stops its side when the placement is gone, or on this message.
        this.#mailbox.send(channel, { v: 1, type: 'channel.terminate' });
        this.#forget(channel);
        pool
          .query(`DELETE FROM ${q('placements')} WHERE channel = $1`, [channel])
          .catch(() => undefined);
      },
    };
  }

  /**
   * Ends the channels whose node stopped heartbeating (it died, perhaps before its agent
   * said it was ready, so no agent heartbeat would ever be missed): their agents restart,
   * and a live node claims the new placement.
   */
  async #endOnDeadNodes(): Promise<void> {
    const { pool, q } = this.place;
    // Placements of channels this supervisor ended while the database was away: dropped now,
    // so their nodes stop the incarnations nobody listens to. And messages to a channel
    // without a placement, which no node reads (a terminate its node did not wait for, an
    // acknowledgement after it stopped): swept, or the mailbox would grow with each restart.
    await pool
      .query(
        `WITH dropped AS (DELETE FROM ${q('placements')} WHERE supervisor = $1 AND NOT (channel = ANY($2)))
         DELETE FROM ${q('mailbox')} m WHERE m.recipient NOT LIKE '${SUPERVISOR}%'
           AND NOT EXISTS (SELECT 1 FROM ${q('placements')} p WHERE p.channel = m.recipient)`,
        [this.id, [...this.#channels.keys()]],
      )
      .catch(() => undefined);
    const dead = await pool
      .query<{ channel: string; node_id: string }>(
        `SELECT p.channel, p.node_id FROM ${q('placements')} p
         LEFT JOIN ${q('nodes')} n ON n.node_id = p.node_id
         WHERE p.supervisor = $1 AND p.node_id IS NOT NULL
           AND (n.node_id IS NULL OR n.heartbeat_at < now() - $2 * interval '1 millisecond')`,
        [this.id, NODE_STALE_MS],
      )
      .catch(() => undefined);
    if (!dead) {
      this.#inTouchSince = undefined;
      return;
    }
    // Back from an outage, nodes get NODE_STALE_MS to heartbeat again before any is judged:
    // they could not write their heartbeats while the database was away either.
    const now = Date.now();
    this.#inTouchSince ??= now;
    if (now - this.#inTouchSince < NODE_STALE_MS) return;
    if (now - this.#foreignCheckedAt >= NODE_STALE_MS) await this.#sayForeignNodes();
    for (const { channel, node_id: node } of dead.rows) {
      const on = this.#channels.get(channel);
      this.#forget(channel);
      await pool
        .query(`DELETE FROM ${q('placements')} WHERE channel = $1`, [channel])
        .catch(() => undefined);
      on?.ended(`its node ${node} stopped heartbeating`);
    }
  }

  /**
   * Says once per node and agent when a placement of its waits while a live node offering
   * the agent speaks another cluster protocol: no such node claims it (cluster-protocol.ts).
   */
  async #sayForeignNodes(): Promise<void> {
    const { pool, q } = this.place;
    this.#foreignCheckedAt = Date.now();
    const foreign = await pool
      .query<{ agent_id: string; node_id: string; protocol: ProtocolColumn }>(
        `SELECT DISTINCT p.agent_id, n.node_id, n.protocol FROM ${q('placements')} p
         JOIN ${q('nodes')} n ON n.agents::jsonb ? p.agent_id
         WHERE p.supervisor = $1 AND p.node_id IS NULL AND n.protocol IS DISTINCT FROM $2
           AND NOT n.draining AND n.heartbeat_at >= now() - $3 * interval '1 millisecond'
           AND p.created_at < now() - $4 * interval '1 millisecond'`,
        [this.id, CLUSTER_PROTOCOL, NODE_STALE_MS, WAITED_MS],
      )
      .catch(() => undefined);
    for (const { agent_id: agentId, node_id: nodeId, protocol } of foreign?.rows ?? []) {
      const key = `${nodeId} ${agentId}`;
      if (this.#saidForeign.has(key)) continue;
      this.#saidForeign.add(key);
      this.options.logger.warn(
        { agentId, nodeId, protocol, supervisor: this.id },
        `remote agent ${agentId} waits for a node: node ${nodeId} offers it but speaks ` +
          `${protocolName(protocol)}, this supervisor cluster protocol ${CLUSTER_PROTOCOL}. Run ` +
          'one overseer version across the cluster, or finish the upgrade (docs/distributed.md, "Upgrading").',
      );
    }
  }

  async close(): Promise<void> {
    const { pool, q } = this.place;
    this.#closed = true;
    clearInterval(this.#watch);
    await this.#mailbox.close();
    await pool
      .query(`DELETE FROM ${q('placements')} WHERE supervisor = $1`, [this.id])
      .catch(() => undefined);
  }
}
