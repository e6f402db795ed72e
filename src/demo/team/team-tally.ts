// What the trip team's run has done so far, counted from its history entries and the
// system's tool calls: the live view's line and the summary are drawn from it.
import type { TeamHistoryEntry } from '../../../machines/team-run.js';

export interface TeamTally {
  /** Plans asked for, the first included: the round the run is in. */
  rounds: number;
  /** Steps of the current plan, and how many of them are accepted. */
  planned: number;
  accepted: number;
  repairs: number;
  rejections: number;
  replans: number;
  toolCalls: number;
  toolTimeouts: number;
  outcome: 'running' | 'completed' | 'failed' | 'cancelled';
}

export const emptyTally = (): TeamTally => ({
  rounds: 1,
  planned: 0,
  accepted: 0,
  repairs: 0,
  rejections: 0,
  replans: 0,
  toolCalls: 0,
  toolTimeouts: 0,
  outcome: 'running',
});

/** Counts one history entry into `tally`. */
export function countEntry(tally: TeamTally, entry: TeamHistoryEntry): void {
  switch (entry.kind) {
    case 'plan':
      tally.rounds = Math.max(tally.rounds, entry.round);
      tally.planned = entry.steps.length;
      tally.accepted = 0;
      break;
    case 'step.repair':
      tally.repairs++;
      break;
    case 'verdict':
      if (entry.accept) tally.accepted++;
      else tally.rejections++;
      break;
    case 'replan':
      // The next round starts now, its plan asked for: nothing of it is accepted yet.
      tally.replans++;
      tally.rounds = Math.max(tally.rounds, entry.round);
      tally.accepted = 0;
      break;
    case 'end':
      tally.outcome = entry.outcome;
      break;
  }
}

/** The live view: one line with the run's state, round and counts. */
export function progressLine(tally: TeamTally, state: string, nowMs: number): string {
  return `team ${state} | round ${tally.rounds} | steps ${tally.accepted}/${tally.planned} accepted | repairs ${tally.repairs} | rejections ${tally.rejections} | replans ${tally.replans} | tool calls ${tally.toolCalls} (${tally.toolTimeouts} timed out) | t=${nowMs} ms (sim)`;
}

/** A history entry worth a line of its own above the live view; undefined for the rest. */
export function entryLine(entry: TeamHistoryEntry): string | undefined {
  switch (entry.kind) {
    case 'plan':
      return `round ${entry.round}: plan ${entry.steps.map((s) => `${s.id} (${s.capability})`).join(', ')}; inputs: ${entry.steps.map((s) => `${s.id} ${inputText(s.input)}`).join(', ')}`;
    case 'step.repair':
      return `step ${entry.stepId}: output does not fit its schema (${entry.issues.join('; ')}), repairing`;
    case 'verdict':
      return entry.accept
        ? `step ${entry.stepId}: accepted`
        : `step ${entry.stepId}: rejected (${entry.feedback ?? ''}), running it again if runs are left`;
    case 'step.failed':
      // Its reason follows in the replan (or the run's end): the planner is told it.
      return `step ${entry.stepId}: failed, no runs left this round`;
    case 'replan':
      return `replanning for round ${entry.round}, the planner told: ${entry.failures.join('; ')}`;
    case 'end':
      return `run ${entry.outcome}${entry.reason ? `: ${entry.reason}` : ''}`;
    default:
      return undefined;
  }
}

/** A step's input as `{city Lisbon, area Alfama}` when it is a flat object, else as JSON. */
const inputText = (input: unknown) =>
  typeof input === 'object' && input !== null && !Array.isArray(input)
    ? `{${Object.entries(input)
        .map(
          ([field, value]) =>
            `${field} ${typeof value === 'string' ? value : JSON.stringify(value)}`,
        )
        .join(', ')}}`
    : JSON.stringify(input);
