// What the dashboard knows about a system: the recent tasks' histories, the event log, the
// plots' points and escalations per supervisor, kept from the system's events at O(1) per
// event; and the frames the feed sends, built from them and the system's own figures at
// most once per feed interval, however many events happened in between.
import type { OverseerEvent, OverseerEventType } from '../core/system-events.js';
import type { MetricsSnapshot } from '../observability/metrics.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { SystemStats } from '../system/system-stats.js';
import type { ResolvedDashboardOptions } from './dashboard-options.js';
import { EventLog, type LogEntry } from './event-log.js';
import { type PlotPoint, PlotSeries } from './plot-series.js';
import { type AgentRow, supervisionView, type TreeNode } from './supervision-view.js';
import { type TaskRow, TaskTrails } from './task-trails.js';

/** One class's figures on the page. */
export interface ClassFigures {
  readonly sloMs: number;
  readonly unfinished: number;
  readonly completed: number;
  readonly onTime: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly rejected: number;
  readonly attainment: number;
  readonly mode: string;
}

/** What the page shows now: sent whole to a page that connects, then as updates. */
export interface Frame {
  readonly at: number;
  readonly phase: string;
  readonly paused: boolean;
  /** Whether the server takes actions (it was given a token). */
  readonly actions: boolean;
  readonly tasks: SystemStats['tasks'] & { readonly submitted: number };
  /** Unfinished tasks by QoS class. */
  readonly byClass: Readonly<Record<string, number>>;
  readonly classes: Readonly<Record<string, ClassFigures>>;
  readonly restarts: number;
  readonly escalations: number;
  readonly tree: TreeNode | undefined;
  readonly agents: readonly AgentRow[];
  /** Recent tasks: in a full frame the newest, in an update those that changed. */
  readonly recent: readonly TaskRow[];
  /** Log entries: in a full frame all kept, in an update the new ones. */
  readonly log: readonly LogEntry[];
  /** Plot points: in a full frame all kept, in an update the new one (if the clock moved). */
  readonly points: readonly PlotPoint[];
}

/** Where the feed's frames come from: a system (DashboardModel), or a cluster's store. */
export interface FrameSource {
  /** A whole frame, for a page that just connected (or fell behind). */
  full(): Frame;
  /** What changed since the last update, for every connected page. */
  update(): Frame;
  /** No page is watching: keep the plots going, drop the rest. */
  sampleOnly(): void;
  close(): void;
}

const RECENT_IN_FRAME = 100;

/** The events the dashboard keeps: each task's steps, and what the event log shows. */
const FOLLOWED = [
  'task.submitted',
  'task.ready',
  'task.assigned',
  'task.started',
  'task.retrying',
  'task.completed',
  'task.failed',
  'task.cancelled',
  'task.interrupted',
  'agent.failed',
  'agent.unresponsive',
  'agent.restarted',
  'agent.removed',
  'agent.limit',
  'supervisor.escalated',
  'store.write.failed',
  'store.lost',
  'qos.mode',
  'qos.rejected',
  'system.drained',
] as const satisfies readonly OverseerEventType[];

export class DashboardModel implements FrameSource {
  readonly trails: TaskTrails;
  readonly log: EventLog;
  readonly #series: PlotSeries;
  readonly #escalations = new Map<string, number>();
  #loggedUpTo = 0;
  readonly #off: () => void;

  constructor(
    readonly system: OverseerSystem,
    private readonly options: ResolvedDashboardOptions,
    earlier: readonly OverseerEvent[] = [],
  ) {
    this.trails = new TaskTrails(options.recentTasks);
    this.log = new EventLog(options.logSize);
    this.#series = new PlotSeries(options.seriesPoints);
    for (const event of earlier) this.#record(event);
    // The types it keeps, not '*': a system publishes some events (agent.busy, agent.idle)
    // only while someone listens to them.
    const offs = FOLLOWED.map((type) => system.on(type, (event) => this.#record(event)));
    this.#off = () => {
      for (const off of offs) off();
    };
  }

  /** A whole frame, for a page that just connected (or fell behind). */
  full(): Frame {
    // No new point here: the point goes to every page with the next update (pages drop repeats).
    return this.#frame(this.system.metrics(), {
      recent: this.trails.search('', RECENT_IN_FRAME),
      log: this.log.since(0),
      points: this.#series.all(),
    });
  }

  /** What changed since the last update, for every connected page. */
  update(): Frame {
    const metrics = this.system.metrics();
    const point = this.#series.sample(metrics);
    const log = this.log.since(this.#loggedUpTo);
    this.#loggedUpTo = this.log.lastSeq;
    const changed = this.trails.takeChanged();
    return this.#frame(metrics, {
      recent: changed.slice(-RECENT_IN_FRAME),
      log,
      points: point ? [point] : [],
    });
  }

  /** Samples the plots without building a frame (no page is watching). */
  sampleOnly(): void {
    this.#series.sample(this.system.metrics());
    this.#loggedUpTo = this.log.lastSeq;
    this.trails.takeChanged();
  }

  close(): void {
    this.#off();
  }

  #record(event: OverseerEvent): void {
    this.trails.record(event);
    this.log.record(event);
    if (event.type === 'supervisor.escalated')
      this.#escalations.set(
        event.supervisorId,
        (this.#escalations.get(event.supervisorId) ?? 0) + 1,
      );
  }

  #frame(metrics: MetricsSnapshot, parts: Pick<Frame, 'recent' | 'log' | 'points'>): Frame {
    const { system } = this;
    const stats = system.stats();
    const view = supervisionView(system, metrics, this.#escalations);
    return {
      at: metrics.at,
      phase: system.phase,
      paused: system.dispatchPaused,
      actions: this.options.token !== undefined,
      tasks: { ...stats.tasks, submitted: metrics.tasks.submitted },
      byClass: metrics.queue.byClass,
      classes: classFigures(metrics),
      restarts: metrics.restarts,
      escalations: metrics.escalations,
      tree: view.tree,
      agents: view.agents,
      ...parts,
    };
  }
}

function classFigures(metrics: MetricsSnapshot): Record<string, ClassFigures> {
  const out: Record<string, ClassFigures> = {};
  for (const [name, c] of Object.entries(metrics.qos))
    out[name] = {
      sloMs: c.sloMs,
      unfinished: metrics.queue.byClass[name] ?? 0,
      completed: c.completed,
      onTime: c.onTime,
      failed: c.failed,
      cancelled: c.cancelled,
      rejected: c.rejected,
      attainment: c.attainment,
      mode: c.mode,
    };
  return out;
}
