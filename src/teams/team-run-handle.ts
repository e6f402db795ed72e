// What `runTeam` and `resumeTeam` give back: a handle on a team run, its result, and the
// events it tells its listeners.
import type { TeamHistoryEntry } from '../../machines/team-run.js';
import type { ApprovalAnswer } from './plan-approval.js';
import type { StepProgress } from './team-tasks.js';

export interface TeamResult {
  readonly runId: string;
  /** Every step's accepted output, by step id. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Plans made: 1 when the first plan passed. */
  readonly rounds: number;
  readonly history: readonly TeamHistoryEntry[];
  /** The shared state at the end, when the team has one. */
  readonly state?: { readonly version: number; readonly value: Readonly<Record<string, unknown>> };
}

/** What a run tells its listeners: each history entry, and each step's progress reports. */
export type TeamEvent = TeamHistoryEntry | StepProgress;

export interface TeamRun {
  readonly id: string;
  /** The accepted outputs once the run completes; rejects with TeamRunFailed. */
  result(): Promise<TeamResult>;
  /** Its machine's state: planning, awaitingApproval, executing, validating, completed... */
  state(): string;
  history(): readonly TeamHistoryEntry[];
  /** Each event as it happens (for a live view); returns an unsubscribe. */
  subscribe(listener: (event: TeamEvent) => void): () => void;
  cancel(reason?: string): void;
  /** Answers what waits for approval (plan or steps); false when nothing waits. */
  approve(answer: ApprovalAnswer): boolean;
}
