// `serveClusterDashboard`: a read-only dashboard of a PostgreSQL cluster, built from its
// store alone (no system runs here): the leader, its nodes and the agents placed on them,
// tasks by state and the newest tasks, read once per second, and a task's detail with the
// steps its store keeps (cluster-trail.ts). It takes no actions.

import { ClusterFrames } from './cluster-frames.js';
import { ClusterReader } from './cluster-reading.js';
import { lifecycle } from './dashboard-api.js';
import { type Dashboard, listenDashboard } from './dashboard-http.js';
import { type DashboardOptions, resolveDashboardOptions } from './dashboard-options.js';

export interface ClusterDashboardOptions extends Omit<DashboardOptions, 'token'> {
  /** The store's PostgreSQL schema. Default `overseer`. */
  readonly schema?: string;
  /** How often the store is read, in ms. Default 1,000. */
  readonly readIntervalMs?: number;
}

/** Serves the read-only dashboard of the cluster whose store is at `url`. */
export async function serveClusterDashboard(
  url: string,
  options: ClusterDashboardOptions = {},
): Promise<Dashboard> {
  const { schema = 'overseer', readIntervalMs = 1_000, ...rest } = options;
  const o = resolveDashboardOptions(rest);
  const reader = new ClusterReader(url, schema);
  const frames = new ClusterFrames(o.seriesPoints, o.logSize);
  try {
    frames.take(await reader.read());
  } catch (error) {
    await reader.close();
    throw error;
  }
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    reader
      .read()
      .then((r) => frames.take(r))
      .catch((error: Error) =>
        frames.log.add(Date.now(), 'cluster.read', 'failure', 'store', error.message),
      )
      .finally(() => {
        reading = false;
      });
  }, readIntervalMs);
  timer.unref();
  return listenDashboard(o, frames, {
    async read(u, reply) {
      if (u.pathname === '/api/lifecycle') reply(200, lifecycle);
      else if (u.pathname === '/api/tasks')
        reply(200, await reader.search(u.searchParams.get('q') ?? '', 100));
      else {
        const task = /^\/api\/tasks\/([^/]+)$/.exec(u.pathname);
        if (!task?.[1]) return false;
        const id = decodeURIComponent(task[1]);
        const found = await reader.task(id);
        if (found) reply(200, found);
        else reply(404, { error: `no task ${id}` });
      }
      return true;
    },
    act: () => false,
    close: async () => {
      clearInterval(timer);
      await reader.close();
    },
  });
}
