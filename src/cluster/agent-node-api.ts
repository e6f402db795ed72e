// What a node is to its caller: `startNode`'s options, and the handle it returns.
import type pg from 'pg';
import type { NodePlacement } from '../isolation/agent-channel.js';
import type { Logger } from '../observability/logger.js';

export interface NodeOptions {
  /** The cluster's database: a URL or a pg Pool. */
  readonly db: string | pg.Pool;
  /** The module exporting the agents' handlers, each under its agent's id. */
  readonly agents: string;
  /** The PostgreSQL schema of the cluster's store. Default `overseer`. */
  readonly schema?: string;
  /**
   * Where each agent runs on the node: `process` (default) or `thread`, isolated, so a hung
   * or crashed agent is killed and restarted alone; or `inline`, in the node's own process,
   * saving the hop for trusted handlers (one that hangs stalls the whole node).
   */
  readonly runs?: NodePlacement;
  /** How often the node looks for placements and heartbeats, in ms. Default 200. */
  readonly pollMs?: number;
  /** Where the node says what an operator should know (pino's interface). Default silent. */
  readonly logger?: Logger;
}

export interface NodeStats {
  /** Agent incarnations it hosts. */
  readonly incarnations: number;
  /** Attempts sent to its agents and not yet answered. */
  readonly attemptsInFlight: number;
  /**
   * Messages of its agents not yet acknowledged by their supervisors: they wait in its memory
   * while the database is away (a heartbeat and each task's progress take one place each;
   * logs and results one each). Past 50,000 on one agent's channel, it stops that agent.
   */
  readonly messagesWaiting: number;
  readonly draining: boolean;
  /** How long its messages have not got through to the database, in ms (0 while they land). */
  readonly silentMs: number;
  /**
   * Reads of its inbox so far, one statement each: on its poll, and when a message for one
   * of its own agents (or, from a supervisor of an earlier release, for any node's) wakes it.
   */
  readonly inboxReads: number;
}

export interface AgentNode {
  readonly nodeId: string;
  /** Agent ids this node offers. */
  readonly offers: readonly string[];
  /** Incarnations running here now, by channel. */
  running(): readonly string[];
  /** What it does now, for its metrics (`overseer node --metrics-port`). */
  stats(): NodeStats;
  /** Takes no new placements; resolves once its agents finished what they run, then closes. */
  drain(): Promise<void>;
  /** Stops its agents at once and leaves the cluster. */
  close(): Promise<void>;
}
