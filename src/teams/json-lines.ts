// Run records as JSON lines: one team run's record a line, appended as runs end and read
// back (each line checked) by `overseer eval`.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidRunRecord } from '../errors/index.js';
import {
  type FieldCheck,
  integerAtLeast,
  isRecord,
  nonEmptyString,
  nonNegativeNumber,
  oneOf,
  plainObject,
  show,
} from '../validation/field-checks.js';
import type { TeamRunRecord } from './run-record.js';

/**
 * A `record` for a team spec that appends each run's record to `path` as one JSON line,
 * creating the file and its directory if needed.
 *
 * @example
 * runTeam(system, { goal, planner: 'plan', validator: 'judge', record: jsonLinesRecorder('runs/trips.jsonl') });
 */
export function jsonLinesRecorder(path: string): (record: TeamRunRecord) => void {
  return (record) => {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `${JSON.stringify(record)}\n`);
  };
}

/** Every record in a JSON lines file (blank lines skipped); InvalidRunRecord names the line. */
export function readRunRecords(path: string): TeamRunRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidRunRecord(path, undefined, `cannot read: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const records: TeamRunRecord[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InvalidRunRecord(path, i + 1, `not JSON: ${messageOf(error)}`, { cause: error });
    }
    const problem = recordProblem(value);
    if (problem) throw new InvalidRunRecord(path, i + 1, problem);
    records.push(value as TeamRunRecord);
  }
  if (records.length === 0) throw new InvalidRunRecord(path, undefined, 'has no run records');
  return records;
}

const finiteNumber: FieldCheck = (value, field) =>
  typeof value === 'number' && Number.isFinite(value)
    ? undefined
    : { field, problem: `must be a finite number, got ${show(value)}` };
const arrayOf =
  (item?: FieldCheck): FieldCheck =>
  (value, field) => {
    if (!Array.isArray(value)) return { field, problem: `must be an array, got ${show(value)}` };
    for (const [i, v] of value.entries()) {
      const problem = item?.(v, `${field}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
const historyEntry: FieldCheck = (value, field) =>
  !isRecord(value)
    ? { field, problem: `must be a history entry, got ${show(value)}` }
    : (nonEmptyString(value.kind, `${field}.kind`) ?? finiteNumber(value.at, `${field}.at`));

/** The fields of a record, each with its check. */
const FIELDS: readonly [keyof TeamRunRecord, FieldCheck][] = [
  ['runId', nonEmptyString],
  ['outcome', oneOf(['completed', 'failed', 'cancelled'])],
  ['rounds', integerAtLeast(1)],
  ['startedAt', finiteNumber],
  ['endedAt', finiteNumber],
  ['durationMs', nonNegativeNumber],
  ['plans', arrayOf(arrayOf())],
  ['steps', plainObject],
  ['outputs', plainObject],
  ['history', arrayOf(historyEntry)],
];

/** The first thing wrong with a line's value as a TeamRunRecord, naming the field. */
export function recordProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return `must be a team run record (an object), got ${show(value)}`;
  if (value.version !== 1) return `version: must be 1, got ${show(value.version)}`;
  if (value.reason !== undefined && typeof value.reason !== 'string')
    return `reason: must be a string, got ${show(value.reason)}`;
  for (const [field, check] of FIELDS) {
    const problem = check(value[field], field);
    if (problem) return `${problem.field}: ${problem.problem}`;
  }
  return undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
