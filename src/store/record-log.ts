// A task's records as a store keeps them in memory. The memory store keeps the objects it
// was given, by reference, as it promises. The PostgreSQL store's mirror keeps them as the
// lines of text it writes to the database (history-lines.ts), one string per task: the
// database holds the records, and a leader that ran many tasks would otherwise keep a few
// objects per record alive for each of them, which the garbage collector copies and marks
// again and again (measured: without them the supervisor spent a tenth to a fifth less CPU
// per remote job).
import { compactBody, historyLine, historyRows } from './history-lines.js';
import { taskRecordFromRow } from './sqlite-rows.js';
import {
  END_KINDS,
  STORE_RECORD_VERSION,
  type Stored,
  type StoredTaskSpec,
  type TaskLifecycleRecord,
} from './store-records.js';

export interface RecordLog {
  readonly count: number;
  /** The seq of the latest record. */
  readonly lastSeq: number;
  /**
   * Adds `record`, numbered `seq` (stored records are stamped with the store's version);
   * `body`: its `compactBody`, when the caller has it already.
   */
  append(record: TaskLifecycleRecord, seq: number, body?: string): void;
  /** The records in order (`spec`: the task's, which a submitted record carries). */
  all(taskId: string, spec: StoredTaskSpec): Stored<TaskLifecycleRecord>[];
  /** Keeps only the latest record (compaction). */
  keepLast(): void;
}

export type RecordLogKind = 'objects' | 'lines';

export const newRecordLog = (kind: RecordLogKind): RecordLog =>
  kind === 'objects' ? new ObjectLog() : new LineLog();

/** A task's records as a durable store read them back: its lines, as they were stored. */
export interface StoredLines {
  readonly text: string;
  readonly count: number;
  readonly lastSeq: number;
  /** Where they were read from, to name in CorruptStoreRecord, e.g. `tasks.history`. */
  readonly table: string;
}

/**
 * A line log holding `lines` as they are: read back without parsing a record, so a store
 * opens (a standby takes over) without decoding the history of every task it holds. The
 * records are read, and corruption in them found and named, when `all` is asked for them,
 * as the SQLite store reads history only when asked.
 */
export const restoredRecordLog = (lines: StoredLines): RecordLog => new LineLog(lines);

class ObjectLog implements RecordLog {
  #records: Stored<TaskLifecycleRecord>[] = [];

  get count(): number {
    return this.#records.length;
  }

  get lastSeq(): number {
    return this.#records.at(-1)?.seq ?? 0;
  }

  append(record: TaskLifecycleRecord, seq: number): void {
    this.#records.push({ ...record, seq, v: STORE_RECORD_VERSION });
  }

  all(): Stored<TaskLifecycleRecord>[] {
    return [...this.#records];
  }

  keepLast(): void {
    this.#records = this.#records.slice(-1);
  }
}

/**
 * `text` as one flat string: V8 flattens a string built by concatenation (a tree of its
 * pieces) when it converts it to a number, and keeps the flat copy in its place.
 */
function flat(text: string): string {
  Number(text);
  return text;
}

class LineLog implements RecordLog {
  #lines: string;
  count: number;
  lastSeq: number;
  readonly #table: string;

  constructor(restored?: StoredLines) {
    this.#lines = restored ? flat(restored.text) : '';
    this.count = restored?.count ?? 0;
    this.lastSeq = restored?.lastSeq ?? 0;
    this.#table = restored?.table ?? 'mirror';
  }

  append(record: TaskLifecycleRecord, seq: number, body?: string): void {
    // No copy of the record: the line is all that is kept.
    this.#add(seq, record.kind, STORE_RECORD_VERSION, body ?? compactBody(record));
  }

  #add(seq: number, kind: string, v: number, text: string): void {
    this.#lines += historyLine(seq, kind, v, text);
    // Appended piece by piece, the lines are a tree of a few dozen string pieces; a task's
    // end is its last record, so its lines are made one flat string then (a finished task
    // is held far longer than a running one: a third of its heap).
    if (END_KINDS.has(kind)) this.#lines = flat(this.#lines);
    this.count++;
    this.lastSeq = seq;
  }

  all(taskId: string, spec: StoredTaskSpec): Stored<TaskLifecycleRecord>[] {
    const where = { table: this.#table, key: `task_id=${taskId}` };
    return historyRows(this.#lines, where, taskId, () => JSON.stringify(spec)).map(
      taskRecordFromRow,
    );
  }

  keepLast(): void {
    const start = this.#lines.lastIndexOf('\n', this.#lines.length - 2) + 1;
    this.#lines = this.#lines.slice(start);
    this.count = Math.min(this.count, 1);
  }
}
