// `overseer demo` (what `npm start` runs): the demo workload with a live view on a
// terminal, plain progress lines when output is not a terminal (CI logs stay readable),
// or only a JSON summary with --json.
import { MultiBar } from 'cli-progress';
import type { OverseerEvent } from '../core/system-events.js';
import { attainmentLine } from '../demo/attainment-line.js';
import { classesLine } from '../demo/demo-plan.js';
import { runDemo } from '../demo/demo-workload.js';
import { limitsLine } from '../demo/limits-line.js';
import { demoSummary } from '../demo/run-summary.js';
import { DEMO_ROWS, formatTable, summaryRows } from '../demo/summary-table.js';
import { cliLogger, compactLogger, type LogLevel } from './cli-logger.js';
import { openStore } from './open-store.js';

export interface DemoFlags {
  readonly tasks: number;
  readonly agents: number;
  readonly failureRate: number;
  readonly seed: number;
  readonly json: boolean;
  /** Structured logs on stderr; above the bar while the live view draws. Unset: none (the CLI passes its --log-level). */
  readonly logLevel?: LogLevel;
  /** A SQLite file to run on: a run stopped by Ctrl-C resumes when started again. */
  readonly store?: string;
  /** Where the agent that hangs runs. Default `thread`. */
  readonly hungAgent?: 'inline' | 'thread';
}

export async function demoCommand(flags: DemoFlags, out: (line: string) => void): Promise<number> {
  const live = !flags.json && process.stdout.isTTY === true;
  // A MultiBar (of one bar) so notable events print above the bar instead of through it.
  const bars = live
    ? new MultiBar({
        // One line: per-class attainment early, where a narrow terminal still shows it.
        format:
          'tasks {bar} {value}/{total}{onTime} | running {running} queued {queued} retrying {retrying} | busy {busy}/{agents} | restarts {restarts} | {rate} tasks/s (sim)',
        barsize: 30,
        hideCursor: true,
      })
    : undefined;
  const at = (ms: number) => `t=${String(ms).padStart(6)} ms`;
  const notable = (event: OverseerEvent) => {
    if (flags.json) return;
    const line =
      event.type === 'agent.unresponsive'
        ? `${at(event.at)}  agent ${event.agentId} missed its heartbeats holding ${event.tasks.length} task(s): terminated`
        : event.type === 'agent.restarted'
          ? `${at(event.at)}  agent ${event.agentId} restarted by supervisor ${event.supervisorId}`
          : event.type === 'supervisor.escalated'
            ? `${at(event.at)}  supervisor ${event.supervisorId} gave up`
            : undefined;
    if (line && bars) bars.log(`${line}\n`);
    else if (line) out(line);
  };
  if (!flags.json)
    out(
      `overseer demo: ${flags.tasks} tasks on ${flags.agents} agents (2 gpu, 1 io that hangs once${(flags.hungAgent ?? 'thread') === 'thread' ? ' in a thread' : ''}, the rest cpu), ${Math.round(flags.failureRate * 100)}% injected failures, seed ${flags.seed}`,
    );
  const bar = bars?.create(flags.tasks, 0, {
    onTime: '',
    running: 0,
    queued: 0,
    retrying: 0,
    busy: 0,
    agents: flags.agents,
    restarts: 0,
    rate: 0,
  });
  const store = flags.store === undefined ? undefined : await openStore(flags.store);
  const resuming = store !== undefined && store.load(0).tasks.length > 0;
  if (store && !flags.json)
    out(
      resuming
        ? `resuming the run stored in ${flags.store}`
        : `storing the run in ${flags.store} (Ctrl-C, then run again to resume)`,
    );
  if (!flags.json) out(classesLine(flags.tasks));
  const result = await runDemo(
    {
      ...(store ? { store } : {}),
      hungAgent: flags.hungAgent ?? 'thread',
      tasks: flags.tasks,
      agents: flags.agents,
      failureRate: flags.failureRate,
      seed: flags.seed,
      // On a terminal, slow the simulation to about 0.2x real time so the live view can be watched.
      ...(live ? { paceMs: 2 } : {}),
      ...(flags.logLevel && flags.logLevel !== 'silent'
        ? {
            observe: {
              logger: bars
                ? compactLogger(flags.logLevel, (line) => bars.log(line))
                : cliLogger(flags.logLevel),
            },
          }
        : {}),
    },
    (system, now) => {
      const { tasks, agents, restarts } = system.stats();
      const done = tasks.completed + tasks.failed + tasks.cancelled;
      const shown = bar !== undefined || (!flags.json && now % 1_000 === 0);
      const metrics = shown ? system.metrics() : undefined;
      const classes = metrics ? attainmentLine(metrics.qos) : '';
      const slots = new Map(system.agents().map((a) => [a.id, a.concurrency]));
      const limits = metrics ? limitsLine(metrics.agentLimits, (id) => slots.get(id)) : '';
      const payload = {
        onTime: `${classes ? ` | on time ${classes}` : ''}${limits ? ` | ${limits}` : ''}`,
        running: tasks.running,
        queued: tasks.queued,
        retrying: tasks.retrying,
        busy: agents.busy ?? 0,
        restarts,
        rate: now > 0 ? Math.round((done * 1000) / now) : 0,
      };
      if (bar) bar.update(done, payload);
      else if (!flags.json && now % 1_000 === 0)
        out(
          `${at(now)}  done ${done}/${flags.tasks}  running ${tasks.running}  queued ${tasks.queued}  retrying ${tasks.retrying}  restarts ${restarts}${classes ? `  on time ${classes}` : ''}${limits ? `  ${limits}` : ''}`,
        );
    },
    notable,
  );
  bars?.update(); // prints logged lines still buffered for the next redraw
  bars?.stop();
  const summary = demoSummary(result, flags.tasks);
  if (flags.json) out(JSON.stringify(summary));
  else out(formatTable(summaryRows(summary, DEMO_ROWS)));
  await result.system.stop({ timeoutMs: 0 });
  await store?.close();
  // A task its class expired, or past its deadline, is QoS at work, not a fault the run hides.
  return summary.failed - summary.deadlineExceeded > 0 ? 1 : 0;
}
