// The summary the team demo ends with: flat numbers (what `--json` prints), and the
// table's rows with their labels and units.
import type { TeamTally } from './team-tally.js';

export interface TeamDemoSummary {
  /** Outputs the schema refused, each sent back to its worker with the issues. */
  readonly repairs: number;
  /** Outputs the validator rejected, each run again with its feedback. */
  readonly rejections: number;
  /** Plans asked for again after a round failed. */
  readonly replans: number;
  /** Plans asked for, the first included. */
  readonly rounds: number;
  /** Tool calls made by the workers (a call retried after a timeout counts once). */
  readonly toolCalls: number;
  /** Tool runs that outlived their tool's timeout. */
  readonly toolTimeouts: number;
  /** Steps of the last plan, and those accepted. */
  readonly steps: number;
  readonly stepsAccepted: number;
  /** 1 when the run completed, 0 when it did not. */
  readonly outcome: number;
  /** Simulated time when the run ended. */
  readonly simulatedTimeMs: number;
}

export function teamSummary(tally: TeamTally, simulatedTimeMs: number): TeamDemoSummary {
  return {
    repairs: tally.repairs,
    rejections: tally.rejections,
    replans: tally.replans,
    rounds: tally.rounds,
    toolCalls: tally.toolCalls,
    toolTimeouts: tally.toolTimeouts,
    steps: tally.planned,
    stepsAccepted: tally.accepted,
    outcome: tally.outcome === 'completed' ? 1 : 0,
    simulatedTimeMs,
  };
}

const LABELS: Readonly<Record<keyof TeamDemoSummary, string>> = {
  outcome: 'completed (1) or not (0)',
  rounds: 'rounds',
  steps: 'steps planned',
  stepsAccepted: 'steps accepted',
  repairs: 'schema repairs',
  rejections: 'validator rejections',
  replans: 'replans',
  toolCalls: 'tool calls',
  toolTimeouts: 'tool timeouts',
  simulatedTimeMs: 'simulated time',
};

/** Label and value of each figure, durations in ms. */
export function teamSummaryRows(summary: TeamDemoSummary): [string, string][] {
  return (Object.keys(LABELS) as (keyof TeamDemoSummary)[]).map((key) => [
    LABELS[key],
    key.endsWith('Ms') ? `${summary[key]} ms` : String(summary[key]),
  ]);
}
