// What a team run is asked to do: its goal, the capabilities of its planner, workers and
// validator (agents are declared on the system as usual; a team routes by capability), the
// schemas its workers' outputs must fit (deterministic JSON actions), and its limits.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidTaskSpec } from '../errors/index.js';
import { isRecord, show } from '../validation/field-checks.js';
import type { TeamRunRecord } from './run-record.js';

export interface TeamSpec {
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
   * A person approves each plan (`run.approve({ accept, feedback })`) before any step runs;
   * without an answer within `timeoutMs` (on the system clock; default: waits for ever),
   * the run fails, or proceeds with `onTimeout: 'proceed'`. A rejected plan is replanned
   * with the feedback. (Waiting survives no restart yet: a team run is not stored.)
   */
  readonly approval?: {
    readonly plan: boolean;
    readonly timeoutMs?: number;
    readonly onTimeout?: 'fail' | 'proceed';
  };
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
  const { approval } = spec;
  if (
    approval !== undefined &&
    !(
      isRecord(approval) &&
      typeof approval.plan === 'boolean' &&
      (approval.timeoutMs === undefined ||
        (typeof approval.timeoutMs === 'number' && approval.timeoutMs > 0)) &&
      (approval.onTimeout === undefined ||
        ['fail', 'proceed'].includes(approval.onTimeout as string))
    )
  )
    fail(
      'approval',
      `must be { plan: boolean, timeoutMs?: ms > 0, onTimeout?: 'fail' | 'proceed' }, got ${show(approval)}`,
    );
  if (spec.record !== undefined && typeof spec.record !== 'function')
    fail('record', `must be a function taking the run's record, got ${show(spec.record)}`);
  return spec as unknown as TeamSpec;
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
