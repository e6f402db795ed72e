// The types of a team run's machine (machines/team-run.ts): its input, what it keeps, the
// events the runtime sends it and what it emits for the runtime to carry out.

/** One step of a plan, as the run tracks it. */
export interface RunStep {
  readonly id: string;
  readonly capability: string;
  readonly input: unknown;
  readonly dependsOn: readonly string[];
}

/** Where a step is within the current plan. */
export type StepPhase = 'waiting' | 'running' | 'produced' | 'validating' | 'accepted' | 'failed';

export interface StepState {
  readonly phase: StepPhase;
  /** Runs of the step in this round (a rejection or a repair runs it again). */
  readonly runs: number;
  /** Outputs that did not parse or validate against the step's schema, this round. */
  readonly repairs: number;
  /** Validator rejections this round. */
  readonly rejections: number;
  /** What the next run is told: validation issues and validator feedback so far. */
  readonly feedback: readonly string[];
  readonly output?: unknown;
  /** Why it failed, when it did. */
  readonly error?: string;
  /** A person approved it this round (`approval.steps`). */
  readonly approved: boolean;
  /** Runs this round that wrote on shared state an accepted write had changed since. */
  readonly stale: number;
  /** The shared state's version its current run read. */
  readonly readVersion?: number | undefined;
  /** What its output writes to the shared state, once accepted. */
  readonly write?: SharedPatch | undefined;
}

/** Fields a step's accepted output sets on the run's shared state. */
export type SharedPatch = Readonly<Record<string, unknown>>;

/** The run's shared state at one version: 0 is the initial value, each accepted write adds one. */
export interface SharedSnapshot {
  readonly version: number;
  readonly value: SharedPatch;
}

/** What the run waits for a person to approve: its plan, or steps about to run. */
export type AwaitedApproval =
  | { readonly kind: 'plan' }
  | { readonly kind: 'steps'; readonly stepIds: readonly string[] };

/** One entry of a run's history: what happened, in order. */
export type TeamHistoryEntry =
  | { readonly kind: 'plan'; readonly round: number; readonly steps: readonly RunStep[] }
  | { readonly kind: 'plan.invalid'; readonly round: number; readonly problems: readonly string[] }
  | { readonly kind: 'step.output'; readonly stepId: string; readonly run: number }
  | { readonly kind: 'step.repair'; readonly stepId: string; readonly issues: readonly string[] }
  | { readonly kind: 'step.failed'; readonly stepId: string; readonly error: string }
  | {
      readonly kind: 'verdict';
      readonly stepId: string;
      readonly accept: boolean;
      readonly feedback?: string;
    }
  | { readonly kind: 'replan'; readonly round: number; readonly failures: readonly string[] }
  | {
      readonly kind: 'approval.requested';
      readonly round: number;
      /** The steps awaiting approval; absent for a plan. */
      readonly stepIds?: readonly string[];
    }
  | {
      readonly kind: 'approval';
      readonly accept: boolean;
      readonly feedback?: string;
      readonly timedOut?: boolean;
      readonly stepIds?: readonly string[];
    }
  /** An accepted output's write made `version` of the shared state from `basedOn`. */
  | {
      readonly kind: 'state.write';
      readonly stepId: string;
      readonly version: number;
      readonly basedOn: number;
    }
  /** An output judged good but written on an outdated read: refused, the step runs again. */
  | {
      readonly kind: 'step.stale';
      readonly stepId: string;
      readonly read: number;
      readonly current: number;
    }
  | {
      readonly kind: 'end';
      readonly outcome: 'completed' | 'failed' | 'cancelled';
      readonly reason?: string;
    };

export interface TeamRunInput {
  readonly runId: string;
  /** Plans the planner may make: the first, and replans after failures. Default 3. */
  readonly maxRounds?: number;
  /** Runs of one step in a round (first run, repairs and rejections together). Default 3. */
  readonly maxStepRuns?: number;
  /** Invalid plans the planner may return in a row before the run fails. Default 2. */
  readonly maxPlanRepairs?: number;
  /**
   * A person approves each plan before any step runs, and each step named in `steps` (by id
   * or capability) before it runs (`approve` on the run); with no answer in time
   * (`approval.timeout`), the run fails or proceeds. Default: no approval.
   */
  readonly approval?: {
    readonly plan?: boolean;
    readonly steps?: readonly string[];
    readonly onTimeout?: 'fail' | 'proceed';
  };
  /** The shared state's initial value; without it, the run has none. */
  readonly state?: SharedPatch;
}

export interface TeamRunContext {
  readonly runId: string;
  readonly maxRounds: number;
  readonly maxStepRuns: number;
  readonly maxPlanRepairs: number;
  readonly approval: {
    readonly plan: boolean;
    readonly steps: readonly string[];
    readonly onTimeout: 'fail' | 'proceed';
  };
  /** What a person is asked to approve now; null when nothing waits. */
  readonly awaiting: AwaitedApproval | null;
  /** The shared state, when the run has one. */
  readonly shared: SharedSnapshot | null;
  readonly round: number;
  readonly planRepairs: number;
  readonly steps: readonly RunStep[];
  /** Each step's position in `steps`, by id. */
  readonly index: Readonly<Record<string, number>>;
  /** Each step's state, at its position in `steps`. */
  readonly state: readonly StepState[];
  /** Steps in each phase (kept with `state`). */
  readonly counts: Readonly<Record<StepPhase, number>>;
  /** Why steps of this round failed, for the planner's next round. */
  readonly failures: readonly string[];
  /** Problems of the last invalid plan, for the planner's next try. */
  readonly planFeedback: readonly string[];
  readonly history: readonly TeamHistoryEntry[];
  readonly reason: string | null;
}

export type TeamRunEvent =
  /** The planner's output, checked by the runtime against the plan schema. */
  | { readonly type: 'plan.ready'; readonly steps: readonly RunStep[] }
  | { readonly type: 'plan.invalid'; readonly problems: readonly string[] }
  /** The planner's task failed for good (its own retries spent). */
  | { readonly type: 'planner.failed'; readonly error: string }
  | {
      readonly type: 'step.output';
      readonly stepId: string;
      readonly output: unknown;
      /** What the output writes to the shared state once accepted. */
      readonly write?: SharedPatch;
    }
  /** The output did not parse or validate against the step's output schema. */
  | { readonly type: 'step.invalid'; readonly stepId: string; readonly issues: readonly string[] }
  /** The step's task failed for good (its own retries spent). */
  | { readonly type: 'step.failed'; readonly stepId: string; readonly error: string }
  | {
      readonly type: 'verdict';
      readonly stepId: string;
      readonly accept: boolean;
      readonly feedback?: string;
    }
  /** A person's answer on what awaits approval (the plan, or steps). */
  | { readonly type: 'approval'; readonly accept: boolean; readonly feedback?: string }
  /** No answer in time. */
  | { readonly type: 'approval.timeout' }
  /** The run was restored from its stored snapshot: ask again for what it waits for. */
  | { readonly type: 'resumed' }
  /** The runtime cannot go on (e.g. the run's state could not be stored). */
  | { readonly type: 'fail'; readonly reason: string }
  /** The validator's task failed for good, or it returned no verdict. */
  | { readonly type: 'validator.failed'; readonly error: string }
  | { readonly type: 'cancel'; readonly reason: string }
  | { readonly type: 'deadline.reached' };

/** One run of a step: what it is told besides its own input. */
export interface StepRequest {
  readonly step: RunStep;
  /** Its run this round, from 1. */
  readonly run: number;
  /** Validation issues and validator feedback from its earlier runs this round. */
  readonly feedback: readonly string[];
  /** Accepted outputs of the steps it depends on, by id. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The shared state as this run reads it, when the run has one. */
  readonly state?: SharedSnapshot;
}

export type TeamRunEmitted =
  /** The plan (`kind: 'plan'`, all its steps) or steps about to run wait for `approve`. */
  | {
      readonly type: 'approval.requested';
      readonly kind: 'plan' | 'steps';
      readonly round: number;
      readonly steps: readonly RunStep[];
    }
  | {
      readonly type: 'planner.requested';
      readonly round: number;
      /** Its try at a plan this round, from 1 (an invalid plan is asked for again). */
      readonly attempt: number;
      /** Failures of the previous round, or problems of the last invalid plan. */
      readonly feedback: readonly string[];
    }
  /** Steps to run now: a wave, or one step again after a repair. */
  | {
      readonly type: 'step.requested';
      readonly round: number;
      readonly requests: readonly StepRequest[];
    }
  /** Outputs to judge now: the wave's. */
  | {
      readonly type: 'validator.requested';
      readonly round: number;
      /** Each output with the run of its step that made it. */
      readonly items: readonly {
        readonly step: RunStep;
        readonly run: number;
        readonly output: unknown;
      }[];
    }
  | { readonly type: 'run.completed'; readonly outputs: Readonly<Record<string, unknown>> }
  | { readonly type: 'run.failed'; readonly reason: string }
  | { readonly type: 'run.cancelled'; readonly reason: string };
