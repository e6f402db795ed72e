// What the leader's intake takes in at a time: a client's single submission, or a client's
// batch whole (its rows share a batch id, inserted in one statement, read together), as
// `system.submit` or `system.submitMany` would take them: a batch is accepted whole or
// refused whole. A cancellation that already waits for one of its tasks is applied in the
// same synchronous step, dispatch held, so that task never starts.
import { DuplicateTaskId, InvalidTaskSpec } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { TaskSpec } from '../tasks/task-spec.js';

export interface SubmissionRow {
  seq: string;
  task_id: string;
  spec: string;
  /** The client's batch this row belongs to; null for a single submission. */
  batch: string | null;
  /** The reason of a client's cancellation waiting for this task; null when none waits. */
  cancel: string | null;
}

export interface SubmissionUnit {
  readonly seqs: number[];
  readonly rows: SubmissionRow[];
  readonly batch: boolean;
}

/** The rows (in seq order) as units, each in the order of its first row. */
export function unitsOf(rows: readonly SubmissionRow[]): SubmissionUnit[] {
  const units: SubmissionUnit[] = [];
  const batches = new Map<string, SubmissionUnit>();
  for (const row of rows) {
    const seq = Number(row.seq);
    const open = row.batch === null ? undefined : batches.get(row.batch);
    if (open) {
      open.seqs.push(seq);
      open.rows.push(row);
      continue;
    }
    const unit = { seqs: [seq], rows: [row], batch: row.batch !== null };
    if (row.batch !== null) batches.set(row.batch, unit);
    units.push(unit);
  }
  return units;
}

export interface Entered {
  /** Settles once the system decided: accepted (durable) or refused. */
  readonly submitted: Promise<unknown>;
  /** Whether its tasks are in the system now (else it was delayed, or refused). */
  readonly known: boolean;
}

/** Takes `unit` into `system`, with the cancellations already waiting for its tasks. */
export function enter(system: OverseerSystem, unit: SubmissionUnit): Entered {
  let specs: TaskSpec[];
  try {
    specs = unit.rows.map((row) => ({ ...(JSON.parse(row.spec) as TaskSpec), id: row.task_id }));
  } catch {
    // Not written by a client of ours: refused, named, rather than read again forever.
    const bad = unit.rows.find((row) => !parses(row.spec));
    const error = new InvalidTaskSpec('spec', `of task ${bad?.task_id} is not valid JSON`);
    return { submitted: Promise.reject(error), known: false };
  }
  const submit = () =>
    unit.batch ? system.submitMany(specs) : system.submit(specs[0] as TaskSpec);
  const cancels = unit.rows.filter((row) => row.cancel !== null);
  let submitted: Promise<unknown>;
  if (cancels.length === 0) submitted = submit();
  else {
    // Dispatch held across both, so a task taken in is cancelled before it can start. A unit
    // its QoS class delays waits for room; the cancels then take its tasks in cancelled.
    const hold = !system.dispatchPaused;
    if (hold) system.pauseDispatch();
    try {
      submitted = submit();
      for (const row of cancels) system.cancel(row.task_id, row.cancel as string);
    } finally {
      if (hold) system.resumeDispatch();
    }
  }
  return { submitted, known: unit.rows.every((row) => knows(system, row.task_id)) };
}

/**
 * Why the system refused a unit, for its tasks' clients; undefined when it was taken in
 * before (a failover between taking it in and deleting its rows): each of its ids is known.
 */
export function refusalOf(system: OverseerSystem, unit: SubmissionUnit, error: unknown) {
  const taken =
    error instanceof DuplicateTaskId && unit.rows.every((row) => knows(system, row.task_id));
  return taken ? undefined : error instanceof Error ? error.message : String(error);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether the system holds task `taskId` now. */
export function knows(system: OverseerSystem, taskId: string): boolean {
  try {
    system.task(taskId);
    return true;
  } catch {
    return false;
  }
}
