// What a team run is asked to do: its goal, the capabilities of its planner, workers and
// validator (agents are declared on the system as usual; a team routes by capability), the
// schemas its workers' outputs must fit (deterministic JSON actions), and its limits.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidTaskSpec } from '../errors/index.js';
import { isRecord, show } from '../validation/field-checks.js';
import type { TeamRunRecord } from './run-record.js';

export interface TeamApproval {
  readonly plan?: boolean;
  readonly steps?: readonly string[];
  readonly timeoutMs?: number;
  readonly onTimeout?: 'fail' | 'proceed';
}

/**
 * Shared state without staleness: each step run reads it at a version (`input.state`:
 * `{ version, value }`); what its output writes (`writes[capability]`, given the output and
 * the value it read) lands once the output is accepted, only if no other write landed since
 * that read. Otherwise the write is refused and the step runs again on the fresh state.
 */
export interface TeamState {
  /** Its value at version 0: a JSON-like object. */
  readonly initial: Readonly<Record<string, unknown>>;
  /** Per worker capability, the fields its accepted output sets (undefined: none). */
  readonly writes?: Readonly<
    Record<
      string,
      // biome-ignore lint/suspicious/noExplicitAny: each capability's output has its own schema
      (output: any, read: Readonly<Record<string, unknown>>) => Record<string, unknown> | undefined
    >
  >;
}

export interface TeamSpec {
  /** A name for the team, kept with a saved run (to pick its definition when resuming). */
  readonly name?: string;
  /** What the team is to achieve: the planner's input, and every step's context. */
  readonly goal: unknown;
  /** The capability of the agent that plans (its output: a plan, machines/team-plan.ts). */
  readonly planner: string;
  /** The capability of the agent that judges each step's output. */
  readonly validator: string;
  /** The capabilities a plan's steps may ask for. Default: any an agent offers. */
  readonly workers?: readonly string[];
  /** Per worker capability, the schema its output must fit (Standard Schema: zod, valibot...). */
  readonly outputs?: Readonly<Record<string, StandardSchemaV1>>;
  /** Plans the planner may make, the first included. Default 3. */
  readonly maxRounds?: number;
  /** Runs of one step within a round (repairs and rejections included). Default 3. */
  readonly maxStepRuns?: number;
  /** Invalid plans in a row before the run fails. Default 2. */
  readonly maxPlanRepairs?: number;
  /** Clock time by which the whole run must end; its tasks carry it as their deadline. */
  readonly deadline?: number;
  /** The QoS class of the run's tasks. */
  readonly qos?: string;
  /**
   * People in the loop: a person approves each plan (`plan: true`) before any step runs,
   * and each step named in `steps` (by step id or capability) before it runs, through
   * `run.approve({ accept, feedback })` or `approveTeamRun`. Without an answer within
   * `timeoutMs` (system clock; default: waits for ever) the run fails, or proceeds with
   * `onTimeout: 'proceed'`. A rejected plan is replanned with the feedback; a rejected step
   * fails with it (the planner hears why). With a store, the wait survives a restart
   * (`resumeTeam`), its timeout counted from when it began.
   */
  readonly approval?: TeamApproval;
  /** The run's versioned shared state, handed to each step as `input.state`. */
  readonly state?: TeamState;
  /**
   * Called once with the run's record when it ends (completed, failed or cancelled), e.g.
   * `jsonLinesRecorder('runs/team.jsonl')` for `overseer eval`. Default: no record is kept.
   */
  readonly record?: (record: TeamRunRecord) => void;
}

const positiveInteger = (value: unknown) =>
  value === undefined || (Number.isInteger(value) && (value as number) >= 1);

/** The spec checked: each mistake an InvalidTaskSpec naming its field (`team.planner`). */
export function checkTeamSpec(spec: unknown, now: number): TeamSpec {
  const fail = (field: string, problem: string): never => {
    throw new InvalidTaskSpec(`team.${field}`, problem);
  };
  if (!isRecord(spec)) return fail('', `must be a team spec object, got ${show(spec)}`);
  for (const field of ['planner', 'validator'] as const)
    if (typeof spec[field] !== 'string' || spec[field] === '')
      fail(field, `must be a capability name, got ${show(spec[field])}`);
  const { workers, outputs, deadline, qos } = spec;
  if (
    workers !== undefined &&
    !(Array.isArray(workers) && workers.every((w) => typeof w === 'string' && w !== ''))
  )
    fail('workers', `must be a list of capability names, got ${show(workers)}`);
  if (outputs !== undefined) {
    if (!isRecord(outputs))
      fail('outputs', `must map capabilities to schemas, got ${show(outputs)}`);
    for (const [name, schema] of Object.entries(outputs as Record<string, unknown>))
      if (!isRecord(schema) || !isRecord(schema['~standard']))
        fail(`outputs.${name}`, 'must be a Standard Schema (zod, valibot, arktype...)');
  }
  for (const field of ['maxRounds', 'maxStepRuns', 'maxPlanRepairs'] as const)
    if (!positiveInteger(spec[field]))
      fail(field, `must be a whole number of at least 1, got ${show(spec[field])}`);
  if (deadline !== undefined && !(typeof deadline === 'number' && deadline > now))
    fail('deadline', `must be a clock time after now (${now}), got ${show(deadline)}`);
  if (qos !== undefined && (typeof qos !== 'string' || qos === ''))
    fail('qos', `must be a QoS class name, got ${show(qos)}`);
  checkApproval(spec.approval, fail);
  checkState(spec.state, fail);
  if (spec.name !== undefined && (typeof spec.name !== 'string' || spec.name === ''))
    fail('name', `must be a non-empty string, got ${show(spec.name)}`);
  if (spec.record !== undefined && typeof spec.record !== 'function')
    fail('record', `must be a function taking the run's record, got ${show(spec.record)}`);
  return spec as unknown as TeamSpec;
}

type Fail = (field: string, problem: string) => never;

const APPROVAL_SHAPE =
  "{ plan?: boolean, steps?: string[], timeoutMs?: ms > 0, onTimeout?: 'fail' | 'proceed' }";

function checkApproval(approval: unknown, fail: Fail): void {
  if (approval === undefined) return;
  if (!isRecord(approval)) fail('approval', `must be ${APPROVAL_SHAPE}, got ${show(approval)}`);
  const a = approval as Record<string, unknown>;
  const unknown = Object.keys(a).filter(
    (k) => !['plan', 'steps', 'timeoutMs', 'onTimeout'].includes(k),
  );
  if (unknown.length > 0)
    fail(`approval.${unknown[0]}`, `is not an approval setting; one of ${APPROVAL_SHAPE}`);
  if (a.plan !== undefined && typeof a.plan !== 'boolean')
    fail('approval.plan', `must be true or false, got ${show(a.plan)}`);
  const { steps, timeoutMs, onTimeout } = a;
  if (
    steps !== undefined &&
    !(Array.isArray(steps) && steps.every((x) => typeof x === 'string' && x !== ''))
  )
    fail('approval.steps', `must be a list of step ids or capabilities, got ${show(steps)}`);
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0))
    fail('approval.timeoutMs', `must be a number of ms above 0, got ${show(timeoutMs)}`);
  if (onTimeout !== undefined && onTimeout !== 'fail' && onTimeout !== 'proceed')
    fail('approval.onTimeout', `must be 'fail' or 'proceed', got ${show(onTimeout)}`);
}

function checkState(state: unknown, fail: Fail): void {
  if (state === undefined) return;
  if (!isRecord(state) || !isRecord(state.initial))
    fail('state.initial', `must be an object (the state at version 0), got ${show(state)}`);
  const { writes } = state as Record<string, unknown>;
  if (writes === undefined) return;
  if (!isRecord(writes))
    fail('state.writes', `must map capabilities to functions, got ${show(writes)}`);
  for (const [name, write] of Object.entries(writes as Record<string, unknown>))
    if (typeof write !== 'function')
      fail(
        `state.writes.${name}`,
        `must be a function (output, state) => fields, got ${show(write)}`,
      );
}

/** Checks `value` against `schema`: its value, or the issues as readable lines. */
export async function fitSchema(
  schema: StandardSchemaV1,
  value: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; issues: string[] }> {
  const result = await schema['~standard'].validate(value);
  if (!result.issues) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const path = (issue.path ?? [])
        .map((p) => (typeof p === 'object' && p !== null && 'key' in p ? p.key : p))
        .join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  };
}
