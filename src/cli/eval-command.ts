// `overseer eval <records.jsonl> --team <module>`: replays the goals of recorded team runs
// on the team a module builds, one run after another, and reports how the team does now:
// pass rate (runs completed), mean rounds, latency on the system's clock, and where the
// replays differ from the records. Exit 0, 1 when the pass rate is below --min-pass-rate,
// 2 on bad input (a bad records line, a bad team module).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'safe-stable-stringify';
import { formatTable } from '../demo/summary-table.js';
import { InvalidTaskSpec, InvalidTeamModule } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import { readRunRecords } from '../teams/json-lines.js';
import type { TeamRunRecord } from '../teams/run-record.js';
import { runTeam } from '../teams/run-team.js';
import { checkTeamSpec, type TeamSpec } from '../teams/team-spec.js';
import { isRecord, show } from '../validation/field-checks.js';

/**
 * What `--team <module>` must export: `team()`, returning (or resolving to) an unstarted
 * system with the team's agents, and the team's spec without a goal (each replay gets a
 * recorded goal). eval starts the system (one already started is used as it is) and stops
 * it at the end. Replays run on the system's clock: on the real clock (the default), or
 * on a clock that advances by itself; a `record` in the spec hears every replay.
 *
 * @example
 * // team.ts
 * export const team = () => ({
 *   system: createSystem({ agents: [planner, flights, hotels, validator] }),
 *   spec: { planner: 'plan', validator: 'judge', maxRounds: 2 },
 * });
 */
export interface TeamModule {
  team(): TeamUnderTest | Promise<TeamUnderTest>;
}
export interface TeamUnderTest {
  readonly system: OverseerSystem;
  readonly spec: Omit<TeamSpec, 'goal'>;
}

/** Every replay must complete unless told otherwise: eval is a gate, lower it for noisy models. */
export const DEFAULT_MIN_PASS_RATE = 1;

export interface EvalFlags {
  /** Path of the team module. */
  readonly team: string;
  /** Share of replays that must complete, 0 to 1. Default DEFAULT_MIN_PASS_RATE (1). */
  readonly minPassRate?: number;
  readonly json?: boolean;
}

/** One recorded run and its replay. */
export interface Replay {
  readonly runId: string;
  readonly replayRunId: string;
  readonly recorded: { readonly outcome: string; readonly rounds: number };
  readonly outcome: TeamRunRecord['outcome'];
  readonly reason?: string;
  readonly rounds: number;
  readonly durationMs: number;
  readonly outputsDiffer: boolean;
}

/** A difference from the records: how many runs, and the recorded run ids. */
export interface Difference {
  readonly count: number;
  readonly runIds: readonly string[];
}

export interface EvalReport {
  readonly runs: number;
  readonly completed: number;
  /** completed / runs. */
  readonly passRate: number;
  readonly minPassRate: number;
  readonly meanRounds: number;
  /** Replay durations on the system's clock, nearest-rank percentiles. */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly outcomeChanged: Difference;
  readonly roundsChanged: Difference;
  /** Accepted outputs that are not the recorded ones (compared as JSON, keys sorted). */
  readonly outputsDiffer: Difference;
  readonly replays: readonly Replay[];
}

export async function evalCommand(
  path: string,
  flags: EvalFlags,
  out: (line: string) => void,
): Promise<number> {
  const minPassRate = flags.minPassRate ?? DEFAULT_MIN_PASS_RATE;
  const records = readRunRecords(path);
  const { system, spec } = await loadTeam(flags.team);
  if (system.phase === 'created') system.start();
  try {
    const replays: Replay[] = [];
    for (const record of records) replays.push(compare(record, await replay(system, spec, record)));
    const report = evalReport(replays, minPassRate);
    out(flags.json ? JSON.stringify(report) : reportText(report));
    return report.passRate < minPassRate ? 1 : 0;
  } finally {
    await system.stop({ timeoutMs: 0 });
  }
}

/** Imports the module by file URL and checks what its `team()` returns. */
export async function loadTeam(path: string): Promise<TeamUnderTest> {
  const fail = (problem: string, cause?: unknown): never => {
    throw new InvalidTeamModule(path, problem, cause === undefined ? undefined : { cause });
  };
  let module: unknown;
  try {
    module = await import(pathToFileURL(resolve(path)).href);
  } catch (error) {
    fail(`cannot be imported: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const team = isRecord(module) ? module.team : undefined;
  if (typeof team !== 'function') fail(`must export a function team(), got ${show(team)}`);
  const made: unknown = await (team as TeamModule['team'])();
  if (!isRecord(made)) return fail(`team() must return { system, spec }, got ${show(made)}`);
  const { system, spec } = made as { system: unknown; spec: unknown };
  if (!isSystem(system))
    return fail(`team().system must be an overseer system, got ${show(system)}`);
  if (!isRecord(spec)) return fail(`team().spec must be a team spec object, got ${show(spec)}`);
  try {
    checkTeamSpec({ ...spec, goal: undefined }, system.clock.now());
  } catch (error) {
    if (error instanceof InvalidTaskSpec) fail(`team().spec: ${error.message}`, error);
    throw error;
  }
  return { system, spec: spec as TeamUnderTest['spec'] };
}

const isSystem = (value: unknown): value is OverseerSystem =>
  isRecord(value) &&
  typeof value.submit === 'function' &&
  typeof value.start === 'function' &&
  isRecord(value.clock);

/** Runs the recorded goal on the team; resolves with the replay's own record when it ends. */
function replay(
  system: OverseerSystem,
  spec: TeamUnderTest['spec'],
  recorded: TeamRunRecord,
): Promise<TeamRunRecord> {
  return new Promise((resolve) => {
    const run = runTeam(system, {
      ...spec,
      goal: recorded.goal,
      record: (record) => {
        resolve(record);
        spec.record?.(record);
      },
    });
    run.result().catch(() => undefined); // a failed replay is counted, not thrown
  });
}

const canonical = (value: unknown) => stringify(JSON.parse(JSON.stringify(value ?? null)));

function compare(recorded: TeamRunRecord, now: TeamRunRecord): Replay {
  return {
    runId: recorded.runId,
    replayRunId: now.runId,
    recorded: { outcome: recorded.outcome, rounds: recorded.rounds },
    outcome: now.outcome,
    ...(now.reason === undefined ? {} : { reason: now.reason }),
    rounds: now.rounds,
    durationMs: now.durationMs,
    outputsDiffer: canonical(recorded.outputs) !== canonical(now.outputs),
  };
}

/** The nearest-rank percentile of ascending values. */
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export function evalReport(replays: readonly Replay[], minPassRate: number): EvalReport {
  const runs = replays.length;
  const completed = replays.filter((r) => r.outcome === 'completed').length;
  const durations = replays.map((r) => r.durationMs).sort((a, b) => a - b);
  const where = (differs: (r: Replay) => boolean): Difference => {
    const runIds = replays.filter(differs).map((r) => r.runId);
    return { count: runIds.length, runIds };
  };
  return {
    runs,
    completed,
    passRate: runs === 0 ? 0 : completed / runs,
    minPassRate,
    meanRounds: runs === 0 ? 0 : replays.reduce((sum, r) => sum + r.rounds, 0) / runs,
    latencyMs: {
      p50: percentile(durations, 50),
      p95: percentile(durations, 95),
      max: durations.at(-1) ?? 0,
    },
    outcomeChanged: where((r) => r.outcome !== r.recorded.outcome),
    roundsChanged: where((r) => r.rounds !== r.recorded.rounds),
    outputsDiffer: where((r) => r.outputsDiffer),
    replays,
  };
}

const percent = (share: number) => `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;

/** The table, then a line per kind of difference naming its runs. */
export function reportText(report: EvalReport): string {
  const { latencyMs: l } = report;
  const differences = [
    ['outcome changed', report.outcomeChanged],
    ['rounds changed', report.roundsChanged],
    ['outputs differ', report.outputsDiffer],
  ] as const;
  const table = formatTable([
    ['runs', String(report.runs)],
    ['pass rate', `${percent(report.passRate)} (${report.completed}/${report.runs})`],
    ['min pass rate', percent(report.minPassRate)],
    ['mean rounds', report.meanRounds.toFixed(2)],
    ['latency p50', `${l.p50} ms`],
    ['latency p95', `${l.p95} ms`],
    ['latency max', `${l.max} ms`],
    ...differences.map(([label, d]): [string, string] => [label, String(d.count)]),
  ]);
  const lists = differences
    .filter(([, d]) => d.count > 0)
    .map(([label, d]) => `${label}: ${d.runIds.join(', ')}`);
  return [table, ...lists].join('\n');
}
