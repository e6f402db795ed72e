// The team demo: the trip-planning team (trip-team.ts) run once on one system, driven by
// the scripted model on a simulated clock, so the run is quick and the same for a seed.
import { SimulatedClock } from 'xstate';
import { seededRandom } from '../../../machines/seeded-random.js';
import type { TeamHistoryEntry } from '../../../machines/team-run.js';
import type { OverseerEvent } from '../../core/system-events.js';
import { createSystem } from '../../system/create-system.js';
import type { OverseerSystem } from '../../system/overseer-system.js';
import { runTeam } from '../../teams/run-team.js';
import { nextTimerAt } from '../../testing/simulate.js';
import { scriptedModel } from './scripted-model.js';
import { type TeamDemoSummary, teamSummary } from './team-summary.js';
import { countEntry, emptyTally, type TeamTally } from './team-tally.js';
import { TRIP_SPEC, tripAgents } from './trip-team.js';
import { tripTools } from './trip-tools.js';

export interface TeamDemoOptions {
  readonly seed: number;
  /** Real milliseconds to wait per 10 ms simulated tick, so a watcher can follow. Default 0. */
  readonly paceMs?: number;
  /** Simulated time after which the run is cancelled if it has not ended. Default 60000. */
  readonly untilMs?: number;
}

export interface TeamDemoHooks {
  /** After each 10 ms tick: the run's state and counts so far. */
  readonly onTick?: (tally: TeamTally, state: string, nowMs: number) => void;
  /** Each history entry of the run as it happens. */
  readonly onEntry?: (entry: TeamHistoryEntry, nowMs: number) => void;
  /** Each tool call as it ends (`tool.called`: its tool, runs, outcome...). */
  readonly onToolCall?: (event: ToolCalled) => void;
}

type ToolCalled = Extract<OverseerEvent, { type: 'tool.called' }>;

export interface TeamDemoResult {
  readonly summary: TeamDemoSummary;
  readonly system: OverseerSystem;
}

const TICK_MS = 10;

export async function runTeamDemo(
  options: TeamDemoOptions,
  hooks: TeamDemoHooks = {},
): Promise<TeamDemoResult> {
  const clock = new SimulatedClock();
  const model = scriptedModel(options.seed, clock);
  const tally = emptyTally();
  const timeouts = { count: 0 };
  const system = createSystem({
    clock,
    random: seededRandom(options.seed),
    tools: tripTools(options.seed, clock, model.script.slowTool, timeouts),
    agents: tripAgents(model),
  });
  system.on('tool.called', (event) => {
    tally.toolCalls++;
    tally.toolTimeouts = timeouts.count;
    hooks.onToolCall?.(event);
  });
  system.start();
  const run = runTeam(system, TRIP_SPEC);
  run.subscribe((event) => {
    if (!isHistoryEntry(event)) return;
    countEntry(tally, event);
    hooks.onEntry?.(event, clock.now());
  });
  let ended = false;
  run.result().then(
    () => {
      ended = true;
    },
    () => {
      ended = true;
    },
  );
  const untilMs = options.untilMs ?? 60_000;
  while (!ended) {
    if (clock.now() >= untilMs) run.cancel(`not ended after ${untilMs} ms of simulated time`);
    await tick(clock, TICK_MS);
    if (options.paceMs) await new Promise<void>((resolve) => setTimeout(resolve, options.paceMs));
    tally.toolTimeouts = timeouts.count;
    hooks.onTick?.(tally, run.state(), clock.now());
  }
  tally.toolTimeouts = timeouts.count;
  return { summary: teamSummary(tally, clock.now()), system };
}

/** `ms` of simulated time, stopping at each timer due on the way so its work settles first. */
async function tick(clock: SimulatedClock, ms: number): Promise<void> {
  const target = clock.now() + ms;
  for (let due = nextTimerAt(clock); due !== undefined && due <= target; due = nextTimerAt(clock)) {
    clock.set(Math.max(due, clock.now()));
    await turn();
  }
  clock.set(target);
  await turn();
}

/** The run's history entries, not the progress reports its steps may also send. */
const isHistoryEntry = (event: { readonly kind: string }): event is TeamHistoryEntry =>
  event.kind !== 'step.progress';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
