// A team run's record, for evaluation (`overseer eval`) and for reading later: what it was
// asked, its plans, what each step's runs were told and returned with their verdicts and
// tool calls, its accepted outputs, and its history with each entry's clock time. The
// machine's history stays as it is: the stamps and the per-step facts are kept here, by the
// runtime, from the machine's emitted events, its snapshots and the tasks' results.
import type { Actor } from 'xstate';
import type {
  RunStep,
  StepRequest,
  TeamHistoryEntry,
  teamRunMachine,
} from '../../machines/team-run.js';
import { outputsOf } from '../../machines/team-steps.js';
import type { OverseerEventOf } from '../core/system-events.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { TaskHandle } from '../tasks/task-record.js';

/** A history entry with `at`: the clock time (`system.clock`) the runtime saw it. */
export type StampedHistoryEntry = TeamHistoryEntry & { readonly at: number };

/** A tool call a step's task made: its `tool.called` event without type and task id. */
export type StepToolCall = Omit<OverseerEventOf<'tool.called'>, 'type' | 'taskId'>;

/** One run of a step: one `team.step` task (its own retries are attempts of that task). */
export interface StepRunRecord {
  /** The plan it belongs to, from 1. */
  readonly round: number;
  /** Its run within the round, from 1 (a repair or a rejection runs it again). */
  readonly run: number;
  readonly capability: string;
  /** The step's input, as the plan gave it. */
  readonly input: unknown;
  /** Accepted outputs of the steps it depends on, by id. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** What it was told from its earlier runs: schema issues, the validator's feedback. */
  readonly feedback: readonly string[];
  /** Clock time the run was asked for. */
  readonly requestedAt: number;
  readonly taskId?: string;
  /** Clock time its task ended, if it ended before the run did. */
  readonly endedAt?: number;
  /** What the worker returned, before its capability's schema was applied. */
  readonly output?: unknown;
  /** Why its task failed for good, or why the step failed on this run. */
  readonly error?: string;
  /** How its output did not fit its capability's schema. */
  readonly issues?: readonly string[];
  readonly verdict?: { readonly accept: boolean; readonly feedback?: string };
  readonly toolCalls: readonly StepToolCall[];
}

/** One JSON line of a run records file. */
export interface TeamRunRecord {
  readonly version: 1;
  readonly runId: string;
  readonly goal: unknown;
  readonly outcome: 'completed' | 'failed' | 'cancelled';
  /** Why it failed or was cancelled. */
  readonly reason?: string;
  /** Plans asked for, the first included. */
  readonly rounds: number;
  /** Clock times (`system.clock`) the run started and ended, and the time between, in ms. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
  /** Each valid plan's steps, in order. */
  readonly plans: readonly (readonly RunStep[])[];
  /** Each step's runs, by step id, in order (across rounds). */
  readonly steps: Readonly<Record<string, readonly StepRunRecord[]>>;
  /** Every accepted output of the last plan, by step id. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly history: readonly StampedHistoryEntry[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type StepRun = Mutable<StepRunRecord> & { toolCalls: StepToolCall[] };

/** What the runtime tells the trace that the machine does not see: each step run's task. */
export interface RunTrace {
  stepTask(stepId: string, handle: TaskHandle): void;
}

/**
 * Follows a team run from before its actor starts, and hands its record to `record` once,
 * when the history's `end` entry arrives (completed, failed or cancelled).
 */
export function traceRun(
  actor: Actor<typeof teamRunMachine>,
  system: OverseerSystem,
  goal: unknown,
  record: (record: TeamRunRecord) => void,
): RunTrace {
  const { clock } = system;
  const startedAt = clock.now();
  const history: StampedHistoryEntry[] = [];
  const plans: (readonly RunStep[])[] = [];
  const steps = new Map<string, StepRun[]>();
  const latest = (stepId: string) => steps.get(stepId)?.at(-1);
  // Tool calls by task id, for the run's step tasks; a call may end before submit resolves
  // with the task's id, so every team.step task's calls are kept from its submission on.
  const toolCalls = new Map<string, StepToolCall[]>();
  const offs = [
    system.on('task.submitted', (e) => {
      if (e.taskType === 'team.step') toolCalls.set(e.taskId, []);
    }),
    system.on('tool.called', ({ type: _, taskId, ...call }) => toolCalls.get(taskId)?.push(call)),
  ];
  let ended = false;

  const take = (entry: TeamHistoryEntry) => {
    const at = clock.now();
    history.push({ ...entry, at });
    if (entry.kind === 'plan') plans.push(entry.steps);
    const run = 'stepId' in entry ? latest(entry.stepId) : undefined;
    if (run && entry.kind === 'step.repair') run.issues = entry.issues;
    if (run && entry.kind === 'step.failed') run.error ??= entry.error;
    if (run && entry.kind === 'verdict')
      run.verdict = {
        accept: entry.accept,
        ...(entry.feedback === undefined ? {} : { feedback: entry.feedback }),
      };
    if (entry.kind === 'end') finish(entry, at);
  };
  const finish = (end: Extract<TeamHistoryEntry, { kind: 'end' }>, at: number) => {
    ended = true;
    for (const off of offs) off();
    const { context } = actor.getSnapshot();
    for (const runs of steps.values())
      for (const run of runs) run.toolCalls = (run.taskId && toolCalls.get(run.taskId)) || [];
    record({
      version: 1,
      runId: context.runId,
      goal,
      outcome: end.outcome,
      ...(end.reason === undefined ? {} : { reason: end.reason }),
      rounds: context.round,
      startedAt,
      endedAt: at,
      durationMs: at - startedAt,
      plans,
      steps: Object.fromEntries(steps),
      outputs: outputsOf(context),
      history,
    });
  };
  // Entries are taken in order, as the subscription hears them; a step request first takes
  // those of its own transition (a verdict, a repair), so they go to the run they judged.
  let seen = 0;
  const sync = () => {
    const entries = actor.getSnapshot().context.history;
    while (!ended && seen < entries.length) take(entries[seen++] as TeamHistoryEntry);
  };
  actor.subscribe(sync);
  actor.on('step.requested', ({ requests }) => {
    sync();
    for (const request of requests) requested(request);
  });
  const requested = ({ step, run, feedback, inputs }: StepRequest) => {
    const runs = steps.get(step.id) ?? [];
    steps.set(step.id, runs);
    runs.push({
      round: actor.getSnapshot().context.round,
      run,
      capability: step.capability,
      input: step.input,
      inputs,
      feedback,
      requestedAt: clock.now(),
      toolCalls: [],
    });
  };
  /** A task's end, kept only while the run lasts: a record once given does not change. */
  const settle = (run: StepRun, change: Partial<StepRun>) => {
    if (!ended) Object.assign(run, change, { endedAt: clock.now() });
  };
  return {
    stepTask(stepId, handle) {
      const run = latest(stepId);
      if (!run || ended) return;
      run.taskId = handle.id;
      handle.result().then(
        (output) => settle(run, { output }),
        (error: unknown) =>
          settle(run, { error: error instanceof Error ? error.message : String(error) }),
      );
    },
  };
}
