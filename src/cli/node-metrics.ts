// What `overseer node --metrics-port` serves, read from the node at each scrape: the agent
// incarnations it hosts, the attempts they run, the messages waiting to get through, whether
// it drains, and how long its messages have not got through to the database (0 while they
// land: alert on it, the node stops its busy agents once it passes their supervisor's
// heartbeat timeout).
import { Counter, Gauge, Registry } from 'prom-client';
import type { AgentNode } from '../cluster/agent-node.js';
import { type MetricsEndpoint, serveMetrics } from './metrics-endpoint.js';

export async function nodeMetrics(
  node: AgentNode,
  where: { readonly metricsPort: number; readonly metricsHost?: string | undefined },
): Promise<MetricsEndpoint> {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge(
    'overseer_node_incarnations',
    'Agent incarnations this node hosts',
    () => node.stats().incarnations,
  );
  gauge(
    'overseer_node_attempts_in_flight',
    'Attempts sent to the agents of this node and not yet answered',
    () => node.stats().attemptsInFlight,
  );
  gauge(
    'overseer_node_messages_waiting',
    'Messages of this node’s agents not yet acknowledged by their supervisors',
    () => node.stats().messagesWaiting,
  );
  gauge('overseer_node_draining', '1 while this node drains', () =>
    node.stats().draining ? 1 : 0,
  );
  gauge(
    'overseer_node_database_silent_seconds',
    'How long this node’s messages have not got through to the database (0 while they land)',
    () => node.stats().silentMs / 1000,
  );
  let reads = 0;
  new Counter({
    name: 'overseer_node_inbox_reads_total',
    help: 'Reads of this node’s inbox (one statement each): its polls, and its own agents’ messages',
    registers: [registry],
    collect() {
      const now = node.stats().inboxReads;
      this.inc(now - reads);
      reads = now;
    },
  });
  return serveMetrics(registry, {
    port: where.metricsPort,
    host: where.metricsHost ?? '127.0.0.1',
  });
}
