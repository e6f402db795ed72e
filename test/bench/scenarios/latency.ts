// Scenario 4: submit-to-start latency under open-loop arrivals at 50% and 90% of the
// capacity measured first. A timer-driven arrival process follows a fixed schedule (due
// times never wait for completions) and submits each due task with submit(). Two figures:
// submit-to-start, from the submit() call to the handler starting (DESIGN's target), and
// arrival-to-start, from the scheduled arrival, which also counts the time the arrival
// process could not run because the event loop was busy: a stalled system cannot hide
// its backlog (no coordinated omission). GC pauses and event-loop delay explain the tail.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { quantile, type Row, row, type ScenarioResult, sample, summarize } from '../harness.js';
import { Milestones } from '../milestones.js';
import { noopSystem, overseerRunAll } from '../overseer-runner.js';

interface Arrival {
  readonly index: number;
  readonly due: number;
  readonly sent: number;
}

/**
 * Ms this process's main thread has spent runnable but waiting for a CPU (Linux's
 * /proc/self/schedstat): on a shared machine, the part of a stall other processes caused.
 */
function runQueueWaitMs(): number {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

interface OpenLoop {
  readonly submitToStart: number[];
  readonly arrivalToStart: number[];
  readonly gcMaxMs: number;
  readonly loopDelayMaxMs: number;
  readonly cpuWaitMs: number;
  readonly unstarted: number;
}

async function openLoop(rate: number, warmupMs: number, durationMs: number): Promise<OpenLoop> {
  const total = Math.floor((rate * (warmupMs + durationMs)) / 1_000);
  const skip = Math.floor((rate * warmupMs) / 1_000);
  const submitToStart: number[] = [];
  const arrivalToStart: number[] = [];
  const started = new Milestones(performance.now() + warmupMs + durationMs + 10_000);
  const system = noopSystem(100, {
    handler: async (a: Arrival) => {
      const now = performance.now();
      if (a.index >= skip) {
        submitToStart.push(now - a.sent);
        arrivalToStart.push(now - a.due);
      }
      started.tick();
    },
  }).start();
  let gcMaxMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.startTime >= start + (skip * 1_000) / rate)
        gcMaxMs = Math.max(gcMaxMs, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const start = performance.now() + 1;
  const due = (i: number) => start + (i * 1_000) / rate;
  let sent = 0;
  let waitedBefore = Number.NaN;
  await new Promise<void>((resolve) => {
    const arrive = () => {
      if (sent >= skip && Number.isNaN(waitedBefore)) {
        loop.enable();
        waitedBefore = runQueueWaitMs();
      }
      while (sent < total && due(sent) <= performance.now()) {
        void system.submit({
          type: 'noop',
          input: { index: sent, due: due(sent), sent: performance.now() } satisfies Arrival,
        });
        sent++;
      }
      if (sent < total) setTimeout(arrive, Math.max(0, due(sent) - performance.now()));
      else resolve();
    };
    setTimeout(arrive, 1);
  });
  await started.reached(total);
  started.dispose();
  loop.disable();
  gc.disconnect();
  await system.stop({ timeoutMs: 0 });
  return {
    submitToStart: submitToStart.sort((a, b) => a - b),
    arrivalToStart: arrivalToStart.sort((a, b) => a - b),
    gcMaxMs,
    loopDelayMaxMs: loop.max / 1e6,
    cpuWaitMs: runQueueWaitMs() - waitedBefore,
    unstarted: total - started.done,
  };
}

export async function latency(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 5_000 : 30_000;
  const capacityOf = (oneByOne: boolean) =>
    sample(async () => (n * 1_000) / (await overseerRunAll(n, 100, { oneByOne })), {
      warmup: oneByOne ? 0 : 1,
      runs: 3,
    });
  const capacity = await capacityOf(false);
  const rows: Row[] = [
    row('measured capacity (100 agents, one submitMany)', capacity, 'tasks/s'),
    // For reading the 90% rows: the arrivals below each take their own submit().
    row('capacity with a submit() per task', await capacityOf(true), 'tasks/s'),
  ];
  // The submit() path JIT-compiles only under this load: cold, its first second or so
  // queues tasks for 100+ ms, which would be most of the measured tail.
  await openLoop(capacity.median * 0.5, 0, quick ? 1_200 : 2_000);
  for (const load of [0.5, 0.9]) {
    const rate = capacity.median * load;
    const runs: OpenLoop[] = [];
    for (let i = 0; i < (quick ? 3 : 5); i++)
      runs.push(await openLoop(rate, 300, quick ? 800 : 3_000));
    const label = `${Math.round(load * 100)}% load (${Math.round(rate).toLocaleString('en')}/s)`;
    const unstarted = runs.reduce((sum, r) => sum + r.unstarted, 0);
    const mark = unstarted > 0 ? { mark: `${unstarted} never started` } : {};
    const across = (figure: (r: OpenLoop) => number) => summarize(runs.map(figure));
    const figures: [string, (r: OpenLoop) => number, string][] = [];
    for (const [name, key] of [
      ['submit-to-start', 'submitToStart'],
      ['arrival-to-start', 'arrivalToStart'],
    ] as const) {
      figures.push([`${name} p50`, (r) => quantile(r[key], 0.5), 'ms']);
      figures.push([`${name} p99`, (r) => quantile(r[key], 0.99), 'ms']);
      figures.push([`${name} max`, (r) => quantile(r[key], 1), 'ms']);
    }
    figures.push(['longest GC pause', (r) => r.gcMaxMs, 'ms']);
    figures.push(['event-loop delay max', (r) => r.loopDelayMaxMs, 'ms']);
    figures.push(['waiting for a CPU', (r) => r.cpuWaitMs, 'ms a run']);
    for (const [name, figure, unit] of figures)
      rows.push(
        row(`${label}: ${name}`, across(figure), unit, name.includes('to-start') ? mark : {}),
      );
  }
  return {
    scenario: 'latency',
    rows,
    notes: [
      "median over runs of each run's percentiles; handler start times by performance.now(); after a warm-up run, the first 300 ms of each run excluded",
      'arrivals by setTimeout to each due time (a 1 ms timer grain), submitted one by one',
      'waiting for a CPU: time the main thread was runnable but not running, from /proc/self/schedstat; on a shared machine it shows how much of the tail is other processes',
    ],
  };
}
