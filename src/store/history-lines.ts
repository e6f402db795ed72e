// A task's records as lines of text: seq, kind, v and body, tab-separated (JSON text holds no
// raw tab or newline), each ended by a newline. The PostgreSQL store keeps a task's records
// before its end this way in the task's row, and its in-memory mirror keeps every record of a
// task this way. A body leaves out what its place already says: its task's id (the row's),
// a submitted record's spec (the row's spec column) and an end's outcome (the row's outcome
// column); reading puts them back (`withIdentity`). It keeps its kind, though the line or
// row says it too: a kind that differs from its body's is how corruption there is caught.
import { CorruptStoreRecord } from '../errors/index.js';
import type { RecordRow } from './sqlite-rows.js';
import { END_KINDS, type TaskLifecycleRecord } from './store-records.js';

/** One record as a line. */
export function historyLine(seq: number, kind: string, v: number, body: string): string {
  return `${seq}\t${kind}\t${v}\t${body}\n`;
}

/**
 * A record's JSON body as a durable store writes it: without its task's id and (a submitted
 * record) its spec, which the row holding it says already. `encode`: how the rest becomes
 * JSON (the store's names the task when it cannot).
 */
export function compactBody(
  record: TaskLifecycleRecord,
  encode: (rest: object) => string = JSON.stringify,
): string {
  if (record.kind === 'task.submitted')
    return `{"kind":"task.submitted","at":${JSON.stringify(record.at)}}`;
  const { taskId: _taskId, ...rest } = record;
  return encode(rest);
}

/**
 * An end record's body as a row of task_records holds it: its compact body without the
 * task's outcome (output, error or reason), which the task's row holds in its `outcome`
 * column, so a large output is stored once. `encode` as for `compactBody`.
 */
export function endRowBody(
  record: TaskLifecycleRecord,
  encode: (rest: object) => string = JSON.stringify,
): string {
  const {
    taskId: _taskId,
    output: _output,
    error: _error,
    reason: _reason,
    ...rest
  } = record as TaskLifecycleRecord & { output?: unknown; error?: unknown; reason?: unknown };
  return encode(rest);
}

/**
 * `body` with its task id put back in front, and what else its place holds: `spec` (JSON)
 * for a submitted record, `outcome` (the task row's JSON object of output, error or reason)
 * for an end; `kind` goes in front too, for a body that has none. A body that still carries
 * them (written before schema 9) keeps its own, and so does its kind: the later of two
 * equal keys, and a kind that differs from its place's is caught as corrupt.
 */
export function withIdentity(
  body: string,
  kind: string,
  taskId: string,
  held: { readonly spec?: string; readonly outcome?: string | null } = {},
): string {
  if (!body.startsWith('{')) return body; // not an object: reading names the problem
  let head = `{"kind":${JSON.stringify(kind)},"taskId":${JSON.stringify(taskId)}`;
  if (held.spec !== undefined) head += `,"spec":${held.spec}`;
  const outcome = outcomeMembers(held.outcome);
  if (outcome) head += `,${outcome}`;
  return joined(head, body);
}

/** The members of an outcome object's JSON (`{"output":1}` gives `"output":1`). */
const outcomeMembers = (outcome: string | null | undefined) => outcome?.trim().slice(1, -1).trim();

/** `head` (an object's opening and members) followed by the members of object `body`. */
function joined(head: string, body: string): string {
  const rest = body.slice(1).trimStart();
  return rest.startsWith('}') ? `${head}${rest}` : `${head},${rest}`;
}

/**
 * A task's records as one text of lines, as the PostgreSQL store's mirror keeps them:
 * its row's `history` (`lastSeq`: its row's history_seq), then its rows of task_records
 * (an end's body given back its task's `outcome`, which its row holds), in seq order. No
 * record is parsed: reading them (`historyRows`) finds and names any corruption.
 */
export function taskLines(
  history: { readonly text: string; readonly lastSeq: number },
  rows: readonly RecordRow[],
  outcome: string | null,
): { text: string; count: number; lastSeq: number } {
  let { text, lastSeq } = history;
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  // Records written before schema 6 are all rows of task_records, each in seq order: a
  // row numbered before the history's last line means the lines must be put in order.
  let ordered = true;
  for (const row of rows) {
    const members = END_KINDS.has(row.kind) ? outcomeMembers(outcome) : undefined;
    const body = members && row.body.startsWith('{') ? joined(`{${members}`, row.body) : row.body;
    text += historyLine(row.seq, row.kind, row.v, body);
    if (row.seq < lastSeq) ordered = false;
    lastSeq = Math.max(lastSeq, row.seq);
    count++;
  }
  if (!ordered) {
    const lines = text.split('\n').filter((line) => line !== '');
    lines.sort((a, b) => seqOfLine(a, 0) - seqOfLine(b, 0));
    text = `${lines.join('\n')}\n`;
  }
  return { text, count, lastSeq };
}

/** The seq that begins the line at `start` of `text`. */
const seqOfLine = (text: string, start: number) =>
  Number(text.slice(start, text.indexOf('\t', start)));

/**
 * The records in `lines`, as rows to read (`taskRecordFromRow`), each body whole again
 * (`withIdentity`): `taskId` the task's, `spec` its spec as JSON. `where` names the lines'
 * place for CorruptStoreRecord.
 */
export function historyRows(
  lines: string,
  where: { table: string; key: string },
  taskId: string,
  spec: () => string,
): RecordRow[] {
  const rows: RecordRow[] = [];
  for (const line of lines.split('\n')) {
    if (line === '') continue;
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    const c = line.indexOf('\t', b + 1);
    if (a < 0 || b < 0 || c < 0)
      throw new CorruptStoreRecord(
        where.table,
        where.key,
        `line ${JSON.stringify(line.slice(0, 80))} is not seq, kind, v and body`,
      );
    const kind = line.slice(a + 1, b);
    const body = line.slice(c + 1);
    rows.push({
      seq: Number(line.slice(0, a)),
      kind,
      v: Number(line.slice(b + 1, c)),
      body: withIdentity(body, kind, taskId, kind === 'task.submitted' ? { spec: spec() } : {}),
    });
  }
  return rows;
}

/** What a task's row holds that its records' bodies leave out: its spec and outcome, as JSON. */
export interface HeldByTaskRow {
  readonly spec: string | null;
  readonly outcome: string | null;
}

/**
 * A row of task_records with its body whole again (`withIdentity`): its task's id, and what
 * its task's row holds put back (the spec in a submitted record, the outcome in an end).
 */
export function wholeRecordRow(taskId: string, row: RecordRow, held: HeldByTaskRow): RecordRow {
  return {
    seq: row.seq,
    kind: row.kind,
    v: row.v,
    body: withIdentity(row.body, row.kind, taskId, {
      ...(row.kind === 'task.submitted' && held.spec !== null ? { spec: held.spec } : {}),
      outcome: END_KINDS.has(row.kind) ? held.outcome : null,
    }),
  };
}
