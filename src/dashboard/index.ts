// overseer's dashboard, published as `overseer/dashboard`: a live web page of a running
// system (supervision tree, agents, tasks, plots, event log) with token-guarded actions.

export type { ClusterDashboardOptions } from './cluster-dashboard.js';
export { serveClusterDashboard } from './cluster-dashboard.js';
export type { DashboardOptions } from './dashboard-options.js';
export type { Dashboard } from './dashboard-server.js';
export { serveDashboard } from './dashboard-server.js';
