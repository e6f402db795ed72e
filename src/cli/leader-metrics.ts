// What `overseer supervise --metrics-port` serves: whether this process leads, the epoch it
// leads in, and, once it serves, its system's metrics (`overseer/prometheus`). A standby
// says `overseer_cluster_leading 0`: a scraper alerts when no process of a cluster says 1.
import { Gauge, Registry } from 'prom-client';
import { prometheusMetrics } from '../observability/prometheus.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { serveMetrics } from './metrics-endpoint.js';

export interface LeaderMetrics {
  /** It holds the leader lease, in `epoch`. */
  leads(epoch: number): void;
  /** Its system (not yet started) serves: its metrics join. */
  serves(system: OverseerSystem): void;
  close(): Promise<void>;
}

export async function leaderMetrics(
  where: { readonly metricsPort?: number; readonly metricsHost?: string },
  out: (line: string) => void,
): Promise<LeaderMetrics> {
  const registry = new Registry();
  const leading = new Gauge({
    name: 'overseer_cluster_leading',
    help: '1 while this supervisor process holds the leader lease, 0 while it stands by',
    registers: [registry],
  });
  const epoch = new Gauge({
    name: 'overseer_cluster_leader_epoch',
    help: 'The epoch this supervisor process leads in; 0 while it stands by',
    registers: [registry],
  });
  leading.set(0);
  epoch.set(0);
  const endpoint = await serveMetrics(registry, {
    port: where.metricsPort ?? 0,
    host: where.metricsHost ?? '127.0.0.1',
  });
  out(`metrics at ${endpoint.url}`);
  let system: ReturnType<typeof prometheusMetrics> | undefined;
  return {
    leads(held) {
      leading.set(1);
      epoch.set(held);
    },
    serves(leader) {
      system = prometheusMetrics(leader, { registry });
    },
    async close() {
      system?.close();
      await endpoint.close();
    },
  };
}
