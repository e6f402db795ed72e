// A node: a process that hosts remote agents for a cluster. It offers the agents its module
// exports (by export name: the agent's id), claims placements of those agents as
// supervisors of its cluster protocol ask for them (it says which of another it leaves
// waiting; cluster-protocol.ts) (FOR UPDATE SKIP LOCKED: each incarnation on one node; the
// least-loaded node first, see placement-claim.ts), and runs
// each in a child process (or thread) of its own, bridging its protocol messages to and
// from the database. It heartbeats its row in `nodes`; a node that dies stops its agents'
// heartbeats, so their supervisor restarts them, and another node claims the new placement.
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nanoid } from 'nanoid';
import pg from 'pg';
import { type AgentChannel, openAgentChannel } from '../isolation/agent-channel.js';
import type { AgentSideData } from '../isolation/agent-runner.js';
import type { FromAgent } from '../isolation/protocol.js';
import { silentLogger } from '../observability/logger.js';
import { migratePostgres, tableNamer } from '../store/postgres/postgres-schema.js';
import { validateNodeOptions } from '../validation/validate-cluster-options.js';
import type { AgentNode, NodeOptions } from './agent-node-api.js';
import type { MessageSlot } from './channel-ledger.js';
import { CLUSTER_PROTOCOL, protocolName } from './cluster-protocol.js';
import { Mailbox } from './mailbox.js';
import { NodeRow } from './node-row.js';
import { claimBackstopMs, claimPlacement, foreignPlacements } from './placement-claim.js';
import {
  type ChannelEnded,
  NODE_STALE_MS,
  NODES_WAKE,
  PLACEMENTS_WAKE,
  type Placed,
} from './supervisor-link.js';

export type { AgentNode, NodeOptions, NodeStats } from './agent-node-api.js';

/** Messages a channel may hold unacknowledged before its node stops the agent. */
const MAX_BACKLOG = 50_000;

const HEARTBEAT: MessageSlot = { holds: 'heartbeat', lossy: true };

/**
 * The slot an agent's message holds on its channel: its latest heartbeat, and each task's
 * latest progress (ended by the task's result or failure, so a next attempt's progress never
 * takes the place of one sent before its result), so that neither piles up in the node's
 * memory while the database is away. Logs and results each keep their own place.
 */
function slotOf(type: unknown, taskId: unknown): MessageSlot | undefined {
  if (type === 'heartbeat') return HEARTBEAT;
  if (type === 'progress') return { holds: `progress:${String(taskId)}` };
  if (type === 'result' || type === 'failure') return { ends: `progress:${String(taskId)}` };
  return undefined;
}

interface Hosted {
  readonly channel: string;
  readonly supervisor: string;
  readonly local: AgentChannel;
  /** Attempts sent to it and not yet answered. */
  inFlight: number;
  /** Its messages unsent this long, its runs stop (the placement's `outOfTouchMs`). */
  readonly outOfTouchMs: number;
}

export async function startNode(options: NodeOptions): Promise<AgentNode> {
  validateNodeOptions(options);
  const owned = typeof options.db === 'string';
  const pool =
    typeof options.db === 'string'
      ? new pg.Pool({ connectionString: options.db, max: 4 })
      : options.db;
  pool.on('error', () => undefined);
  const schema = options.schema ?? 'overseer';
  const q = tableNamer(schema);
  await migratePostgres(pool, schema, `node of ${schema}`);
  const moduleUrl = /^[a-z]+:/i.test(options.agents)
    ? options.agents
    : pathToFileURL(isAbsolute(options.agents) ? options.agents : resolve(options.agents)).href;
  const exports = (await import(moduleUrl)) as Record<string, unknown>;
  const offers = Object.keys(exports).filter((name) => typeof exports[name] === 'function');
  const nodeId = `node:${hostname()}:${process.pid}:${nanoid(6)}`;
  const logger = options.logger ?? silentLogger;
  const row = new NodeRow(pool, q, nodeId, offers, logger);
  await row.beat();
  const hosted = new Map<string, Hosted>();
  const pollMs = options.pollMs ?? 200;
  let draining = false;
  let closed = false;
  let drained: (() => void) | undefined;

  const ownWake = `node/${nanoid(12)}`;
  const mailbox: Mailbox = new Mailbox(
    pool,
    schema,
    q('mailbox'),
    // Its agents' channels, and those stopped that still wait for acknowledgements.
    (): string[] => [...hosted.keys(), ...mailbox.closingChannels()],
    // Its own wake-up name, which its channels tell their supervisor to use, and the name
    // all nodes share, which supervisors of the release before that still wake.
    [ownWake, NODES_WAKE],
    (messages) => {
      for (const { channel, body } of messages) {
        const h = hosted.get(channel);
        if (!h) continue;
        const type = (body as { type?: unknown }).type;
        if (type === 'channel.terminate') stop(h, undefined);
        else {
          if (type === 'run') h.inFlight++;
          h.local.post(body);
        }
      }
    },
    // A placement waits: claimed on its wake-up (and on the tick, should that be lost), not
    // after every read of messages, which cost a busy node a claim statement per read.
    { signals: [{ name: PLACEMENTS_WAKE, heard: () => void claim() }] },
  );
  const stop = (h: Hosted, reason: string | undefined) => {
    if (!hosted.delete(h.channel)) return;
    h.local.terminate();
    if (reason !== undefined) {
      const ended: ChannelEnded = { v: 1, type: 'channel.ended', reason };
      mailbox.send(h.channel, ended);
    }
    mailbox.closeChannel(h.channel);
    if (draining && hosted.size === 0) drained?.();
  };

  const host = (channel: string, supervisor: string, placed: Placed) => {
    // A placement by a supervisor that does not say: as long as it gives a node's heartbeat.
    const { outOfTouchMs = NODE_STALE_MS, ...data } = placed;
    const side: AgentSideData = { ...data, moduleUrl };
    // Numbered from its first message: the agent may speak as it starts.
    mailbox.openChannel(channel, supervisor, supervisor, ownWake);
    let h: Hosted | undefined;
    const local = openAgentChannel(options.runs ?? 'process', side, undefined, {
      message: (raw) => {
        const { type, taskId } = raw as { type?: unknown; taskId?: unknown };
        try {
          mailbox.send(channel, raw, slotOf(type, taskId));
        } catch (error) {
          // Only JSON crosses the database: an output without a JSON form (a BigInt, a
          // cycle) fails its attempt, naming why, instead of the node.
          if (type !== 'result') throw error;
          const failure: FromAgent = {
            v: 1,
            type: 'failure',
            taskId: String(taskId),
            error: {
              name: 'TypeError',
              message: `the output has no JSON form: ${(error as Error).message}`,
            },
          };
          mailbox.send(channel, failure, slotOf('failure', taskId));
        }
        if (h && (type === 'result' || type === 'failure')) h.inFlight--;
        if (h && draining && h.inFlight === 0) stop(h, `node ${nodeId} drained`);
        // Cut off from the database for long, an agent that logs or reports progress would
        // fill the node's memory: past the bound, it stops (its attempts run again later).
        else if (h && mailbox.backlog(channel) > MAX_BACKLOG)
          stop(h, `node ${nodeId} could not deliver its messages (${MAX_BACKLOG} waiting)`);
      },
      ended: (reason) => h && stop(h, `${reason} (on node ${nodeId})`),
    });
    h = { channel, supervisor, local, inFlight: 0, outOfTouchMs };
    hosted.set(channel, h);
  };

  let claiming = false;
  const backstopMs = claimBackstopMs(pollMs);
  /**
   * Claims one waiting placement, if no live node offering it hosts fewer than this one (or
   * it waited past the backstop), then comes back for the next a little later: so a
   * supervisor's replicas spread over its nodes, and a node alone still takes them all.
   */
  const claim = async () => {
    if (claiming || draining || closed) return;
    claiming = true;
    try {
      const row = await claimPlacement(pool, q, nodeId, offers, backstopMs);
      if (row && (draining || closed)) {
        // Claimed while it began to leave: handed back for another node.
        await pool.query(
          `UPDATE ${q('placements')} SET node_id = NULL, claimed_at = NULL WHERE channel = $1`,
          [row.channel],
        );
      } else if (row) {
        host(row.channel, row.supervisor, JSON.parse(row.data) as Placed);
        setTimeout(() => void claim(), Math.max(10, pollMs / 4)).unref();
      }
    } catch {
      // Unreachable for now: the next poll claims.
    } finally {
      claiming = false;
    }
  };

  /** Supervisors (and agents) whose placements of another protocol this node said it leaves. */
  const saidForeign = new Set<string>();
  let foreignCheckedAt = 0;
  /** Says once per supervisor and agent which placements it leaves waiting, and why. */
  const sayForeign = async () => {
    foreignCheckedAt = Date.now();
    for (const f of await foreignPlacements(pool, q, offers, backstopMs)) {
      const key = `${f.supervisor} ${f.agentId}`;
      if (saidForeign.has(key)) continue;
      saidForeign.add(key);
      logger.warn(
        { nodeId, supervisor: f.supervisor, agentId: f.agentId, protocol: f.protocol },
        `node ${nodeId} speaks cluster protocol ${CLUSTER_PROTOCOL} and leaves agent ` +
          `${f.agentId} of supervisor ${f.supervisor} waiting: it was placed in ` +
          `${protocolName(f.protocol)}. Run one overseer version across the cluster, or finish ` +
          'the upgrade (docs/distributed.md, "Upgrading").',
      );
    }
  };

  /** When this node's heartbeat was last committed (its own clock). */
  let beatAt = Date.now();
  /**
   * Heartbeats, and stops incarnations whose placement their supervisor dropped. Out of touch
   * with the database, it stops the busy ones before their supervisor can have taken them
   * for dead and run their attempts again elsewhere, so no attempt runs twice at once: when
   * their messages (heartbeats among them) have not got through for the placement's
   * `outOfTouchMs`, or its own heartbeat not for NODE_STALE_MS, each less a poll. An idle one
   * stays: it runs nothing, and its messages wait for the database to come back.
   */
  const tick = async () => {
    const silent = mailbox.silentFor();
    const stale = Date.now() - beatAt >= NODE_STALE_MS - pollMs;
    for (const h of [...hosted.values()])
      if (h.inFlight > 0 && (stale || silent >= h.outOfTouchMs - pollMs))
        stop(h, `node ${nodeId} was out of touch with the database`);
    try {
      await row.beat(draining);
      beatAt = Date.now();
      const { rows } = await pool.query<{ channel: string }>(
        `SELECT channel FROM ${q('placements')} WHERE node_id = $1`,
        [nodeId],
      );
      const placed = new Set(rows.map((r) => r.channel));
      for (const h of [...hosted.values()]) if (!placed.has(h.channel)) stop(h, undefined);
      if (Date.now() - foreignCheckedAt >= NODE_STALE_MS) await sayForeign();
    } catch {
      // Unreachable: the agents' heartbeats stop reaching their supervisor meanwhile.
    }
    await claim();
  };
  await mailbox.open();
  // Not unref'd: a node keeps its process alive until it is closed, as a server does, also
  // while its database is away (its listener gone, no thread busy).
  const timer = setInterval(() => void tick(), pollMs);
  await claim();

  const close = async () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    for (const h of [...hosted.values()]) stop(h, `node ${nodeId} closed`);
    await mailbox.close();
    await row.leave().catch(() => undefined);
    await pool
      .query(`DELETE FROM ${q('placements')} WHERE node_id = $1`, [nodeId])
      .catch(() => undefined);
    if (owned) await pool.end();
  };
  return {
    nodeId,
    offers,
    running: () => [...hosted.keys()],
    stats: () => {
      let attemptsInFlight = 0;
      let messagesWaiting = 0;
      for (const h of hosted.values()) {
        attemptsInFlight += h.inFlight;
        messagesWaiting += mailbox.backlog(h.channel);
      }
      const silentMs = mailbox.silentFor();
      const inboxReads = mailbox.reads;
      return {
        incarnations: hosted.size,
        attemptsInFlight,
        messagesWaiting,
        draining,
        silentMs,
        inboxReads,
      };
    },
    async drain() {
      draining = true;
      // Said at once, not at the next heartbeat: other nodes stop leaving placements to it.
      void row.draining().catch(() => undefined);
      for (const h of [...hosted.values()]) if (h.inFlight === 0) stop(h, `node ${nodeId} drained`);
      if (hosted.size > 0) await new Promise<void>((done) => (drained = done));
      await close();
    },
    close,
  };
}
