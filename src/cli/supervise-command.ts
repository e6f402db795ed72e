// `overseer supervise --db <url> --agents <module>`: a supervisor process of a cluster. It
// stands by until it holds the leader lease, then runs a system on the PostgreSQL store
// (rebuilt from it by the usual recovery), takes clients' submissions in, and places its
// remote agents on the nodes. It exits 3 when it loses the lease (run it under a process
// manager that starts it again: it comes back as a standby); 4 when its supervision tree
// gave up (the root supervisor exceeded its restart intensity: OTP's escalation, here to
// the process manager), giving the lease up first so a standby takes over at once; and on
// SIGTERM or SIGINT it drains, gives the lease up and exits 0. It says `leading as` when it
// holds the lease, and `serving` once it has rebuilt the system from the store and takes work.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lead } from '../cluster/leadership.js';
import { takeSubmissions } from '../cluster/submission-intake.js';
import type { Logger } from '../observability/logger.js';
import { postgresStore } from '../store/postgres/postgres-store.js';
import { createSystem } from '../system/create-system.js';
import type { SystemOptions } from '../system/system-options.js';
import { leaderMetrics } from './leader-metrics.js';

export interface SuperviseFlags {
  readonly db: string;
  readonly agents: string;
  readonly schema: string;
  readonly leaseMs: number;
  /** Serve Prometheus metrics on this port (0: any free one); none when absent. */
  readonly metricsPort?: number;
  /** The address the metrics listen on. Default 127.0.0.1 (other than loopback exposes them). */
  readonly metricsHost?: string;
  /** The CLI's logger (--log-level), the system's unless the module's options name one. */
  readonly logger?: Logger;
}

/** What the module names: the agents (and any other system options but the store). */
type SystemModule = {
  readonly system?: Omit<SystemOptions, 'store'>;
  readonly agents?: SystemOptions['agents'];
};

export async function superviseCommand(
  flags: SuperviseFlags,
  out: (line: string) => void,
): Promise<number> {
  const url = /^[a-z]+:/i.test(flags.agents)
    ? flags.agents
    : pathToFileURL(isAbsolute(flags.agents) ? flags.agents : resolve(flags.agents)).href;
  const module = (await import(url)) as SystemModule;
  const options = {
    ...(flags.logger ? { logger: flags.logger } : {}),
    ...module.system,
    ...(module.agents ? { agents: module.agents } : {}),
  };
  const metrics = flags.metricsPort === undefined ? undefined : await leaderMetrics(flags, out);
  out('standing by for the leader lease');
  const leadership = await lead({ db: flags.db, schema: flags.schema, leaseMs: flags.leaseMs });
  out(`leading as ${leadership.holder}, epoch ${leadership.epoch}`);
  metrics?.leads(leadership.epoch);
  const rebuilding = performance.now();
  const store = await postgresStore(flags.db, { schema: flags.schema, leader: leadership });
  // Rebuilding the system (recovery) keeps the event loop: it starts on a fresh lease.
  await leadership.renewNow();
  const system = createSystem({ ...options, store });
  // Before start, so its histograms see every latency.
  metrics?.serves(system);
  system.start();
  const intake = await takeSubmissions(system, store);
  const ms = Math.round(performance.now() - rebuilding);
  out(`serving: rebuilt from the store in ${ms} ms`);
  const code = await new Promise<number>((done) => {
    leadership.lost.then((why) => {
      if (why === 'released') return;
      out(`stepping down: ${why}`);
      done(3);
    });
    system.on('store.lost', ({ holder }) => {
      out(`stepping down: the store was taken over by ${holder}`);
      done(3);
    });
    system.on('supervisor.escalated', ({ supervisorId, childId }) => {
      if (supervisorId !== 'root') return;
      out(`stepping down: the root supervisor exceeded its restart intensity (last: ${childId})`);
      done(4);
    });
    const stop = (signal: string) => {
      out(`${signal}: draining`);
      done(0);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await intake.close();
  await metrics?.close();
  if (code === 0 || code === 4) {
    // A tree that gave up has nothing left to drain: stopped at once.
    await system.stop(code === 4 ? { timeoutMs: 0 } : {});
    await store.close();
    await leadership.release();
    out('left the cluster');
  }
  return code;
}
