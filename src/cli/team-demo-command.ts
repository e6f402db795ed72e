// `overseer demo --scenario team`: the trip-planning team (src/demo/team/) on a simulated
// clock, with a one-line live view on a terminal (plain progress lines each simulated second
// otherwise) and a line for each plan, repair, verdict and replan,
// ending with its summary as a table, or only as one JSON line with --json.
import { formatTable } from '../demo/summary-table.js';
import { runTeamDemo } from '../demo/team/team-demo.js';
import { teamSummaryRows } from '../demo/team/team-summary.js';
import { entryLine, progressLine } from '../demo/team/team-tally.js';

export interface TeamDemoFlags {
  readonly seed: number;
  readonly json: boolean;
}

/** Runs the team demo; 0 when the run completed, 1 when it did not. */
export async function teamDemoCommand(
  flags: TeamDemoFlags,
  out: (line: string) => void,
): Promise<number> {
  const live = !flags.json && process.stdout.isTTY === true;
  let shown = '';
  const draw = (line: string) => {
    shown = line;
    process.stdout.write(`\r\x1b[K${line}`);
  };
  /** A line above the live view (which is drawn again below it). */
  const note = (nowMs: number, line: string) => {
    if (flags.json) return;
    if (live) process.stdout.write('\r\x1b[K');
    out(`t=${String(nowMs).padStart(6)} ms  ${line}`);
    if (live && shown) draw(shown);
  };
  if (!flags.json)
    out(
      `overseer demo --scenario team: a planner, flight/hotel/weather workers with tools and a validator on a scripted model, seed ${flags.seed}`,
    );
  const { summary, system } = await runTeamDemo(
    { seed: flags.seed, ...(live ? { paceMs: 10 } : {}) },
    {
      onEntry: (entry, nowMs) => {
        const line = entryLine(entry);
        if (line !== undefined) note(nowMs, line);
      },
      onToolCall: (e) => {
        if (e.runs > 1)
          note(
            e.at,
            `tool ${e.tool} (${e.agentId}): ${e.outcome} on run ${e.runs} of one call, after a run that failed or timed out (${e.ms} ms in all)`,
          );
      },
      onTick: (tally, state, nowMs) => {
        if (live) draw(progressLine(tally, state, nowMs));
        else if (!flags.json && nowMs % 1_000 === 0) out(progressLine(tally, state, nowMs));
      },
    },
  );
  if (live) process.stdout.write('\n');
  if (flags.json) out(JSON.stringify(summary));
  else out(formatTable(teamSummaryRows(summary)));
  await system.stop({ timeoutMs: 0 });
  return summary.outcome === 1 ? 0 : 1;
}
