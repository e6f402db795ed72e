// A client's feed of the tasks that end in the cluster (`onEnded`), each once, with none
// lost while its LISTEN connection was away. The leader's notice of an end carries the seq of
// the task's end record; ends commit in seq order (one leader writes one batch at a time, and
// a new leader's seqs start above everything committed before it), so the highest seq
// delivered is a cursor. Each time the client listens again, it reads the ends past the
// cursor from task_records (the first time: it only takes the cursor, since ends count "from
// now on"); notices heard meanwhile wait, and one at or below the cursor is dropped.
// An end its leader has already forgotten (past `retainFinished`) is not read back.
import type { Pool } from 'pg';
import type { TerminalTaskState } from '../../machines/task-states.js';
import { TERMINAL_KINDS } from '../store/postgres/postgres-migrations.js';

/** A task that ended, as the leader tells it. */
export interface TaskEnded {
  readonly taskId: string;
  readonly state: TerminalTaskState;
}

/** A notice's entry: `seq` is absent from a leader of a version before it carried one. */
export interface EndedNotice extends TaskEnded {
  readonly seq?: number;
}

/** Ends read back per statement after a break. */
const PAGE = 1_000;
/** Longest wait between two tries to read back, in ms. */
const MAX_BACKOFF_MS = 2_000;

const STATE_OF: Readonly<Record<string, TerminalTaskState>> = {
  'task.completed': 'completed',
  'task.failed': 'failed',
  'task.cancelled': 'cancelled',
};

export class EndedFeed {
  /** The highest end-record seq delivered; undefined until the first listen took it. */
  #cursor: number | undefined;
  /** Notices heard while reading back, delivered after it; undefined when not reading. */
  #held: EndedNotice[] | undefined;
  #closed = false;
  /** It listened again while reading back: what ended in that break is read back next. */
  #again = false;

  constructor(
    private readonly pool: Pool,
    private readonly q: (table: string) => string,
    private readonly deliver: (ended: TaskEnded) => void,
    /** Whether anyone listens: with nobody, nothing is read back (the cursor jumps ahead). */
    private readonly wanted: () => boolean = () => true,
  ) {}

  /** A notice's ends, in the order the leader wrote them. */
  notice(ends: readonly EndedNotice[]): void {
    if (this.#held) {
      this.#held.push(...ends);
      return;
    }
    for (const end of ends) this.#take(end);
  }

  /**
   * The client listens (again): the first time, the cursor is the store's last end; after a
   * break, the ends written while it was away are delivered, then what it heard meanwhile.
   */
  async listening(): Promise<void> {
    if (this.#held) {
      this.#again = true;
      return;
    }
    this.#held = [];
    try {
      do {
        this.#again = false;
        await this.#catchUp();
      } while (this.#again && !this.#closed);
    } finally {
      const held = this.#held;
      this.#held = undefined;
      for (const end of held) this.#take(end);
    }
  }

  /**
   * Takes the cursor, or reads back from it, until it succeeds (the database may be back for
   * LISTEN and not yet for this): what is heard meanwhile waits, so the cursor never passes
   * an end not read back.
   */
  async #catchUp(): Promise<void> {
    for (let wait = 100; !this.#closed; wait = Math.min(wait * 2, MAX_BACKOFF_MS)) {
      try {
        if (this.#cursor === undefined || !this.wanted()) await this.#start();
        else await this.#readBack();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  }

  /** Stops reading back; what it holds is delivered. */
  close(): void {
    this.#closed = true;
  }

  async #start(): Promise<void> {
    const { rows } = await this.pool.query<{ seq: number }>(
      `SELECT coalesce(max(seq), 0)::float8 AS seq FROM ${this.q('task_records')}`,
    );
    this.#cursor = Math.max(this.#cursor ?? 0, rows[0]?.seq ?? 0);
  }

  async #readBack(): Promise<void> {
    for (;;) {
      const { rows } = await this.pool.query<{ seq: number; task_id: string; kind: string }>(
        `SELECT seq::float8 AS seq, task_id, kind FROM ${this.q('task_records')}
         WHERE seq > $1 AND kind IN ${TERMINAL_KINDS} ORDER BY seq LIMIT ${PAGE}`,
        [this.#cursor ?? 0],
      );
      for (const row of rows) {
        const state = STATE_OF[row.kind];
        if (state) this.#take({ taskId: row.task_id, state, seq: row.seq });
      }
      if (rows.length < PAGE) return;
    }
  }

  #take(end: EndedNotice): void {
    if (end.seq !== undefined) {
      if (this.#cursor !== undefined && end.seq <= this.#cursor) return;
      this.#cursor = end.seq;
    }
    this.deliver({ taskId: end.taskId, state: end.state });
  }
}
