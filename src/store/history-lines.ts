// A task's records as lines of text: seq, kind, v and body, tab-separated (JSON text holds no
// raw tab or newline), each ended by a newline. The PostgreSQL store keeps a task's records
// before its end this way in the task's row, and its in-memory mirror keeps every record of a
// task this way. A submitted record's line leaves its spec out (the task's spec is kept
// beside it); reading puts it back.
import { CorruptStoreRecord } from '../errors/index.js';
import type { RecordRow } from './sqlite-rows.js';

/** One record as a line. */
export function historyLine(seq: number, kind: string, v: number, body: string): string {
  return `${seq}\t${kind}\t${v}\t${body}\n`;
}

/** The JSON body of a submitted record's line: the record without its spec. */
export function submittedBody(record: { kind: string; taskId: string; at: number }): string {
  return JSON.stringify({ kind: record.kind, taskId: record.taskId, at: record.at });
}

/**
 * The records in `lines`, as rows to read (`taskRecordFromRow`). `spec`: the task's spec as
 * JSON, given back to a submitted record's body (a body written with its own, as schema 6
 * wrote them, keeps it: the later of two equal keys). `where` names the lines' place for
 * CorruptStoreRecord.
 */
export function historyRows(
  lines: string,
  where: { table: string; key: string },
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
      body:
        kind === 'task.submitted' && body.startsWith('{"')
          ? `{"spec":${spec()},${body.slice(1)}`
          : body,
    });
  }
  return rows;
}
