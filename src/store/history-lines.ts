// A task's records as lines of text: seq, kind, v and body, tab-separated (JSON text holds no
// raw tab or newline), each ended by a newline. The PostgreSQL store keeps a task's records
// before its end this way in the task's row, and its in-memory mirror keeps every record of a
// task this way. A body leaves out what its place already says: its kind (the line's, or
// the row's column), its task's id (the row's), and a submitted record's spec (the row's
// spec column); reading puts them back (`withIdentity`).
import { CorruptStoreRecord } from '../errors/index.js';
import type { RecordRow } from './sqlite-rows.js';
import type { TaskLifecycleRecord } from './store-records.js';

/** One record as a line. */
export function historyLine(seq: number, kind: string, v: number, body: string): string {
  return `${seq}\t${kind}\t${v}\t${body}\n`;
}

/**
 * A record's JSON body as the PostgreSQL store writes it: without its kind, its task's id
 * and (a submitted record) its spec, which the line or row holding it says already. Per
 * job that is about a tenth less to encode, send and keep in the row. `encode`: how the rest
 * becomes JSON (the store's names the task when it cannot).
 */
export function compactBody(
  record: TaskLifecycleRecord,
  encode: (rest: object) => string = JSON.stringify,
): string {
  if (record.kind === 'task.submitted') return `{"at":${JSON.stringify(record.at)}}`;
  const { kind: _kind, taskId: _taskId, ...rest } = record;
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
    kind: _kind,
    taskId: _taskId,
    output: _output,
    error: _error,
    reason: _reason,
    ...rest
  } = record as TaskLifecycleRecord & { output?: unknown; error?: unknown; reason?: unknown };
  return encode(rest);
}

/**
 * `body` with its kind and task id put back in front, and what else its place holds: `spec`
 * (JSON) for a submitted record, `outcome` (the task row's JSON object of output, error or
 * reason) for an end. A body that still carries them (written before schema 9)
 * keeps its own: the later of two equal keys.
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
  const outcome = held.outcome?.trim().slice(1, -1).trim();
  if (outcome) head += `,${outcome}`;
  const rest = body.slice(1).trimStart();
  return rest.startsWith('}') ? `${head}${rest}` : `${head},${rest}`;
}

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
