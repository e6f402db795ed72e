// `overseer status --db <url>`: what a PostgreSQL store holds now, read straight from the
// database (no system is started): who owns it and until when, tasks by state, the agents
// last heard of, unfinished team runs; and of a cluster, its leader, its nodes (live or not,
// and what they host), agents waiting for a node, messages in flight and cancellations waiting.
import pg from 'pg';
import { type ProtocolColumn, protocolName } from '../cluster/cluster-protocol.js';
import { NODE_STALE_MS } from '../cluster/supervisor-link.js';
import { StoreOpenFailed } from '../errors/index.js';
import { tableNamer } from '../store/postgres/postgres-schema.js';

export interface StoreStatus {
  readonly schemaVersion: number;
  readonly owner: { readonly holder: string; readonly until: number } | null;
  readonly tasks: Readonly<Record<string, number>>;
  readonly agents: readonly {
    readonly agentId: string;
    readonly last: string;
    readonly at: number;
  }[];
  readonly teamRuns: number;
  /** The leader lease: held (`live`) or run out; null while nobody ever led. */
  readonly leader: {
    readonly holder: string;
    readonly epoch: number;
    readonly until: number;
    readonly live: boolean;
  } | null;
  /** Nodes: live while their heartbeat is under NODE_STALE_MS old (database clock). */
  readonly nodes: readonly {
    readonly nodeId: string;
    readonly live: boolean;
    readonly draining: boolean;
    /** Since its last heartbeat, ms (database clock); a live node forgets it after an hour. */
    readonly silentMs: number;
    /** The cluster protocol it speaks; null: from before protocols (or a store before 11). */
    readonly protocol: ProtocolColumn;
    /** The agents of the placements it holds. */
    readonly hosting: readonly string[];
  }[];
  /** Agent incarnations placed and not yet claimed by a node. */
  readonly waitingForNode: number;
  /** Those by the cluster protocol they were placed in (a node claims only its own). */
  readonly waitingByProtocol: readonly { readonly protocol: ProtocolColumn; readonly n: number }[];
  /** Mailbox rows not yet read. */
  readonly messagesInFlight: number;
  /** Clients' cancellations the leader has not applied yet (0 on a store before schema 13). */
  readonly cancellationsWaiting: number;
}

/** Reads the status of the store in `schema` of the database at `url`. */
export async function readStoreStatus(url: string, schema = 'overseer'): Promise<StoreStatus> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  const where = url.replace(/:[^:@/]*@/, '@');
  try {
    await client.connect();
  } catch (cause) {
    throw new StoreOpenFailed(where, { cause });
  }
  const q = tableNamer(schema);
  try {
    const version = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${q('overseer_schema')}`,
    );
    const owner = await client.query<{ holder: string; until: number }>(
      `SELECT holder, until FROM ${q('owner')}`,
    );
    const tasks = await client.query<{ state: string; n: string }>(
      `SELECT state, count(*) AS n FROM ${q('tasks')} GROUP BY state ORDER BY state`,
    );
    const agents = await client.query<{ agent_id: string; kind: string; at: number }>(
      `SELECT agent_id, kind, (body::json->>'at')::float8 AS at FROM ${q('agent_records')}
       WHERE seq IN (SELECT max(seq) FROM ${q('agent_records')} GROUP BY agent_id) ORDER BY agent_id`,
    );
    const runs = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q('team_runs')}`);
    const leader = await client.query<{
      holder: string;
      epoch: string;
      until: number;
      live: boolean;
    }>(
      `SELECT holder, epoch, extract(epoch FROM until) * 1000 AS until, until > now() AS live
       FROM ${q('leader')}`,
    );
    const schemaVersion = version.rows[0]?.v ?? 0;
    // Through the row's JSON: NULL on a store from before schema 11 too (as the dashboard).
    const protocolOf = (row: string) => `(to_jsonb(${row})->>'protocol')::int`;
    const nodes = await client.query<{
      node_id: string;
      live: boolean;
      draining: boolean;
      silent_ms: number;
      protocol: ProtocolColumn;
      hosting: string[];
    }>(
      `SELECT n.node_id, n.heartbeat_at > now() - $1 * interval '1 millisecond' AS live, n.draining,
         greatest(0, extract(epoch FROM now() - n.heartbeat_at) * 1000)::float8 AS silent_ms,
         ${protocolOf('n')} AS protocol, array_remove(array_agg(p.agent_id ORDER BY p.agent_id), NULL) AS hosting
       FROM ${q('nodes')} n LEFT JOIN ${q('placements')} p ON p.node_id = n.node_id
       GROUP BY n.node_id ORDER BY n.node_id`,
      [NODE_STALE_MS],
    );
    const waiting = await client.query<{ protocol: ProtocolColumn; n: string }>(
      `SELECT ${protocolOf('p')} AS protocol, count(*) AS n FROM ${q('placements')} p
       WHERE p.node_id IS NULL GROUP BY 1 ORDER BY 1`,
    );
    const messages = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q('mailbox')}`);
    const cancellations =
      schemaVersion >= 13
        ? await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q('cancellations')}`)
        : undefined;
    const lease = leader.rows[0];
    return {
      schemaVersion,
      owner: owner.rows[0] ?? null,
      tasks: Object.fromEntries(tasks.rows.map((r) => [r.state, Number(r.n)])),
      agents: agents.rows.map((r) => ({ agentId: r.agent_id, last: r.kind, at: r.at })),
      teamRuns: Number(runs.rows[0]?.n ?? 0),
      leader: lease
        ? {
            holder: lease.holder,
            epoch: Number(lease.epoch),
            until: Number(lease.until),
            live: lease.live,
          }
        : null,
      nodes: nodes.rows.map((r) => ({
        nodeId: r.node_id,
        live: r.live,
        draining: r.draining,
        silentMs: Math.round(r.silent_ms),
        protocol: r.protocol,
        hosting: r.hosting,
      })),
      waitingForNode: waiting.rows.reduce((n, r) => n + Number(r.n), 0),
      waitingByProtocol: waiting.rows.map((r) => ({ protocol: r.protocol, n: Number(r.n) })),
      messagesInFlight: Number(messages.rows[0]?.n ?? 0),
      cancellationsWaiting: Number(cancellations?.rows[0]?.n ?? 0),
    };
  } catch (cause) {
    if ((cause as { code?: unknown }).code === '42P01')
      throw new StoreOpenFailed(where, {
        cause: new Error(`schema ${schema} holds no overseer store (run a system on it first)`),
      });
    throw cause;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Prints the status as lines (or one JSON line); 0, or 2 when the store cannot be read. */
export async function statusCommand(
  flags: { db: string; schema: string; json: boolean },
  out: (line: string) => void,
): Promise<number> {
  let status: StoreStatus;
  try {
    status = await readStoreStatus(flags.db, flags.schema);
  } catch (error) {
    out(`error: ${(error as Error).message}`);
    return 2;
  }
  if (flags.json) {
    out(JSON.stringify(status));
    return 0;
  }
  const { owner, tasks, agents } = status;
  out(`store schema ${flags.schema}, version ${status.schemaVersion}`);
  out(owner ? `owner: ${owner.holder} (claim until ${owner.until})` : 'owner: none');
  const counts = Object.entries(tasks).map(([state, n]) => `${state} ${n}`);
  out(`tasks: ${counts.length > 0 ? counts.join(', ') : 'none'}`);
  out(
    `agents: ${agents.length === 0 ? 'none' : agents.map((a) => `${a.agentId} (${a.last})`).join(', ')}`,
  );
  out(`unfinished team runs: ${status.teamRuns}`);
  const { leader, nodes } = status;
  out(
    leader
      ? `leader: ${leader.holder}, epoch ${leader.epoch} (lease ${leader.live ? 'until' : 'ran out at'} ${new Date(leader.until).toISOString()})`
      : 'leader: none',
  );
  const nodeLine = (n: StoreStatus['nodes'][number]) =>
    `${n.nodeId} (${n.live ? (n.draining ? 'draining' : 'live') : `silent for ${duration(n.silentMs)}`}, ${protocolName(n.protocol)}, hosting ${n.hosting.length === 0 ? 'nothing' : n.hosting.join(', ')})`;
  out(`nodes: ${nodes.length === 0 ? 'none' : nodes.map(nodeLine).join('; ')}`);
  const byProtocol = status.waitingByProtocol.map((w) => `${w.n} in ${protocolName(w.protocol)}`);
  out(
    `agents waiting for a node: ${status.waitingForNode}${byProtocol.length > 0 ? ` (${byProtocol.join(', ')})` : ''}`,
  );
  out(`messages in flight: ${status.messagesInFlight}`);
  out(`cancellations waiting: ${status.cancellationsWaiting}`);
  const spoken = new Set([
    ...nodes.filter((n) => n.live).map((n) => n.protocol),
    ...status.waitingByProtocol.map((w) => w.protocol),
  ]);
  if (spoken.size > 1)
    out(
      'warning: the cluster mixes protocols; a node claims only placements of its own: run ' +
        'one overseer version across the cluster, or finish the upgrade (docs/distributed.md, "Upgrading")',
    );
  return 0;
}

/** `ms` as an operator reads it: 42 s, 12 min, 3 h. */
function duration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
