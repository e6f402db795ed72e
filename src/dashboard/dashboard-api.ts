// The dashboard's JSON endpoints: reads (task search, a task's detail, the lifecycle
// diagram) for anyone who may open the page, and the actions (cancel a task, drain an
// agent, pause and resume dispatch), which the server lets through only with the token.
import { OverseerError } from '../errors/index.js';
import type { Reply } from './dashboard-http.js';
import type { DashboardModel } from './dashboard-model.js';
import { taskLifecycleGraph } from './lifecycle-graph.js';

/** The task lifecycle diagram's graph, the same for every dashboard. */
export const lifecycle = taskLifecycleGraph();
const MAX_RESULTS = 200;

/** Answers a GET under /api/; false when no endpoint has this path. */
export function answerRead(model: DashboardModel, url: URL, reply: Reply): boolean {
  if (url.pathname === '/api/tasks') {
    const limit = Math.min(MAX_RESULTS, Number(url.searchParams.get('limit') ?? 50) || 50);
    reply(200, model.trails.search(url.searchParams.get('q') ?? '', limit));
    return true;
  }
  if (url.pathname === '/api/lifecycle') {
    reply(200, lifecycle);
    return true;
  }
  const task = /^\/api\/tasks\/([^/]+)$/.exec(url.pathname);
  if (task?.[1]) {
    reply(...taskDetail(model, decodeURIComponent(task[1])));
    return true;
  }
  return false;
}

function taskDetail(model: DashboardModel, taskId: string): [number, unknown] {
  const trail = model.trails.get(taskId);
  let status: unknown;
  try {
    status = model.system.task(taskId);
  } catch (error) {
    if (!trail) return [404, { error: (error as Error).message }];
  }
  return [200, { status: status ?? null, trail: trail ?? null }];
}

/** Carries out an action (its token already checked); false when no action has this path. */
export function answerAction(model: DashboardModel, url: URL, reply: Reply): boolean {
  const { system, log } = model;
  const at = () => system.clock.now();
  const act = (run: () => unknown) => {
    try {
      reply(200, { ok: true, outcome: run() ?? null });
    } catch (error) {
      if (!(error instanceof OverseerError)) throw error;
      reply(409, { error: error.message, code: error.code });
    }
  };
  const cancel = /^\/api\/tasks\/([^/]+)\/cancel$/.exec(url.pathname);
  if (cancel?.[1]) {
    const taskId = decodeURIComponent(cancel[1]);
    act(() => {
      const outcome = system.cancel(taskId, 'cancelled from the dashboard');
      log.add(
        at(),
        'dashboard.cancel',
        'operator',
        taskId,
        `cancel from the dashboard: ${outcome}`,
      );
      return outcome;
    });
    return true;
  }
  const drain = /^\/api\/agents\/([^/]+)\/drain$/.exec(url.pathname);
  if (drain?.[1]) {
    const agentId = decodeURIComponent(drain[1]);
    act(() => {
      // Resolves when the agent has left; the page sees that in the feed.
      void system.drainAgent(agentId);
      log.add(at(), 'dashboard.drain', 'operator', agentId, 'drain from the dashboard');
      return 'draining';
    });
    return true;
  }
  if (url.pathname === '/api/dispatch/pause' || url.pathname === '/api/dispatch/resume') {
    const pause = url.pathname.endsWith('pause');
    act(() => {
      if (pause) system.pauseDispatch();
      else system.resumeDispatch();
      log.add(
        at(),
        `dashboard.${pause ? 'pause' : 'resume'}`,
        'operator',
        'dispatch',
        `dispatch ${pause ? 'paused' : 'resumed'} from the dashboard`,
      );
      return pause ? 'paused' : 'running';
    });
    return true;
  }
  return false;
}
