// `serveDashboard`: the dashboard of one running system, its frames kept by a
// DashboardModel that follows the system's events, served by dashboard-http.ts.
import type { OverseerEvent } from '../core/system-events.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { answerAction, answerRead } from './dashboard-api.js';
import { type Dashboard, listenDashboard } from './dashboard-http.js';
import { DashboardModel } from './dashboard-model.js';
import { type DashboardOptions, resolveDashboardOptions } from './dashboard-options.js';

export type { Dashboard } from './dashboard-http.js';

/**
 * Serves the dashboard of `system` (see docs/dashboard.md). Read-only unless `token` is
 * given; then the actions need `Authorization: Bearer <token>`.
 *
 * @example
 * const dashboard = await serveDashboard(system, { port: 4000, token: process.env.DASHBOARD_TOKEN });
 * console.log(`dashboard on ${dashboard.url}`);
 */
export function serveDashboard(
  system: OverseerSystem,
  options: DashboardOptions = {},
): Promise<Dashboard> {
  return openDashboard(system, options, []);
}

/** `serveDashboard`, its page also showing `earlier`: events the system published before. */
export async function openDashboard(
  system: OverseerSystem,
  options: DashboardOptions,
  earlier: readonly OverseerEvent[],
): Promise<Dashboard> {
  const o = resolveDashboardOptions(options);
  const model = new DashboardModel(system, o, earlier);
  return listenDashboard(o, model, {
    read: (url, reply) => answerRead(model, url, reply),
    act: (url, reply) => answerAction(model, url, reply),
    close: () => undefined,
  });
}
