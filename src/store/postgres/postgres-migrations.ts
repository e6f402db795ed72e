// The PostgreSQL store's schema, as an ordered list of migrations, each run in its own
// transaction with the version it makes. Like the SQLite store's (../migrations.ts), a
// released migration is never edited: a change is a new migration at the end.
//
// JSON is kept as TEXT, exactly as written (as the SQLite store keeps it): JSONB would
// reorder keys and refuse the NUL character, so a store could not give back what it took.
//
// Every table lives in the store's own PostgreSQL schema (default `overseer`), so one
// database can hold several stores, and a test its own. `q` quotes a table name into it.
export interface PostgresMigration {
  readonly version: number;
  readonly description: string;
  /** The statements, given the function that names a table in the store's schema. */
  sql(q: (table: string) => string): string;
}

/** The terminal record kinds, as an SQL list: the database holds at most one of them per task. */
export const TERMINAL_KINDS = `('task.completed', 'task.failed', 'task.cancelled')`;

export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    description: 'tasks, task and agent records, leases, the owner, team runs',
    sql: (q) => `
      CREATE TABLE ${q('tasks')} (
        seq BIGINT PRIMARY KEY,
        task_id TEXT NOT NULL UNIQUE,
        spec TEXT NOT NULL,
        submitted_at DOUBLE PRECISION NOT NULL,
        state TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        agent_id TEXT,
        updated_at DOUBLE PRECISION NOT NULL,
        retry_at DOUBLE PRECISION,
        snapshot TEXT,
        outcome TEXT,
        finished_at DOUBLE PRECISION
      );
      CREATE INDEX ON ${q('tasks')} (finished_at) WHERE finished_at IS NOT NULL;
      CREATE TABLE ${q('task_records')} (
        seq BIGINT PRIMARY KEY,
        task_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        v INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX ON ${q('task_records')} (task_id, seq);
      -- One outcome per task, whoever writes it: a second terminal record is refused.
      CREATE UNIQUE INDEX task_records_one_terminal ON ${q('task_records')} (task_id)
        WHERE kind IN ${TERMINAL_KINDS};
      CREATE TABLE ${q('leases')} (
        task_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        claimed_at DOUBLE PRECISION NOT NULL,
        until DOUBLE PRECISION NOT NULL
      );
      CREATE TABLE ${q('agent_records')} (
        seq BIGINT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        v INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX ON ${q('agent_records')} (agent_id, seq);
      CREATE TABLE ${q('owner')} (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        until DOUBLE PRECISION NOT NULL
      );
      CREATE TABLE ${q('team_runs')} (
        run_id TEXT PRIMARY KEY,
        at DOUBLE PRECISION NOT NULL,
        data TEXT NOT NULL,
        saved BIGSERIAL
      );
    `,
  },
  {
    version: 2,
    description: 'the cluster: nodes, agent placements on them, and mailboxes',
    sql: (q) => `
      -- A process hosting agents for the cluster, alive while its heartbeat is recent.
      CREATE TABLE ${q('nodes')} (
        node_id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        agents TEXT NOT NULL,
        started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        draining BOOLEAN NOT NULL DEFAULT false
      );
      -- An incarnation of a remote agent: asked for by a supervisor, claimed by a node.
      CREATE TABLE ${q('placements')} (
        channel TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        supervisor TEXT NOT NULL,
        data TEXT NOT NULL,
        node_id TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        claimed_at TIMESTAMPTZ
      );
      CREATE INDEX ON ${q('placements')} (agent_id) WHERE node_id IS NULL;
      -- Protocol messages in flight: each row read once, by its recipient, in order.
      CREATE TABLE ${q('mailbox')} (
        id BIGSERIAL PRIMARY KEY,
        recipient TEXT NOT NULL,
        channel TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX ON ${q('mailbox')} (recipient, id);
    `,
  },
  {
    version: 3,
    description: 'the leader lease: which supervisor runs the cluster, by epoch, until when',
    sql: (q) => `
      -- Holder, epoch and expiry, set by the database clock; an epoch per leadership.
      CREATE TABLE ${q('leader')} (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        epoch BIGINT NOT NULL,
        until TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: 'clients: submissions from any process, rejections, tasks by idempotency key',
    sql: (q) => `
      -- A client's submission, durable once inserted; the leader takes it into its store and
      -- deletes it in one transaction, so each is taken once, whoever leads.
      CREATE TABLE ${q('submissions')} (
        seq BIGSERIAL PRIMARY KEY,
        task_id TEXT NOT NULL,
        spec TEXT NOT NULL,
        submitted_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      -- A submission the leader refused, and why (the client's result() reports it).
      CREATE TABLE ${q('rejections')} (
        task_id TEXT PRIMARY KEY,
        error TEXT NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      ALTER TABLE ${q('tasks')} ADD COLUMN idempotency_key TEXT;
      CREATE INDEX ON ${q('tasks')} (idempotency_key) WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    version: 5,
    description: 'mailbox messages kept out of the write-ahead log (UNLOGGED)',
    sql: (q) => `
      -- A message is a wire message: lost in a database crash like one on a broken socket
      -- (heartbeats stop, the agent restarts, its attempts retry). Out of the WAL, sending
      -- one waits for no disk flush.
      ALTER TABLE ${q('mailbox')} SET UNLOGGED;
    `,
  },
  {
    version: 6,
    description: 'a task history record kept in its task row unless it ends the task',
    sql: (q) => `
      -- A task's records before its end, one line each (seq, kind, v, body: tab-separated;
      -- JSON holds no raw tab or newline), appended as the row changes anyway, instead of a
      -- row of task_records each with three index entries. Its end stays in task_records,
      -- where the unique index keeps it to one. history_seq: the last seq appended, so a
      -- batch sent again after a lost connection appends nothing twice.
      ALTER TABLE ${q('tasks')} ADD COLUMN history TEXT NOT NULL DEFAULT '',
        ADD COLUMN history_seq BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 7,
    description: "a submitted record's history line without its spec (the spec column holds it)",
    sql: (q) => `
      -- Nothing to change in place: older lines keep their spec, and loading gives a line
      -- without one the row's spec. The version tells an older overseer, which would find
      -- such a line incomplete, that this store is newer than it.
      COMMENT ON COLUMN ${q('tasks')}.history IS 'records before the end; a submitted one without its spec';
    `,
  },
  {
    version: 8,
    description: "a task row's updates in place (HOT): room on its page, no index on finished_at",
    sql: (q) => `
      -- A task's row changes as it is assigned, runs and ends. An update that changes no
      -- indexed column and finds room on the row's page writes no index entry (a heap-only
      -- update); the index on finished_at made every end a full update, and full pages
      -- left no room. Compaction, which reads finished_at, is rare: it scans instead.
      DROP INDEX IF EXISTS ${q('tasks_finished_at_idx')};
      ALTER TABLE ${q('tasks')} SET (fillfactor = 70);
    `,
  },
  {
    version: 9,
    description: "a record's body without what its place holds: task id, an end's outcome",
    sql: (q) => `
      -- Nothing to change in place. A body leaves out its task id (its history line or
      -- task_records row holds it), and an end its outcome (output, error or reason: its
      -- task row's outcome column holds it, so a large output is stored once, not twice).
      -- Older bodies keep theirs, and loading puts them back in front of a body without. The
      -- version tells an older overseer, which would find such a body incomplete, that this
      -- store is newer than it.
      COMMENT ON COLUMN ${q('task_records')}.body IS
        'the record without its task id, an end without its outcome (its task row holds them)';
    `,
  },
  {
    version: 10,
    description: 'task_records without its (task_id, seq) index: it holds ends, one per task',
    sql: (q) => `
      -- Since schema 6 a row of task_records is a task's end (older stores may keep a few
      -- records before it). Every end wrote an entry in this index, which only compaction's
      -- "all but a finished task's last record" read; that is now "its records that are not
      -- its end" (nothing follows an end), and the index on ends serves lookups by task.
      DROP INDEX IF EXISTS ${q('task_records_task_id_seq_idx')};
    `,
  },
  {
    version: 11,
    description: "the cluster protocol of each node and of each placement's supervisor",
    sql: (q) => `
      -- Which protocol a node speaks, and which its supervisor asked a placement in
      -- (src/cluster/cluster-protocol.ts): a node claims only placements of its own. NULL:
      -- written by a process from before protocols. Processes of this version and later
      -- write it; earlier ones still running keep working, as their inserts leave it out.
      ALTER TABLE ${q('nodes')} ADD COLUMN protocol INTEGER;
      ALTER TABLE ${q('placements')} ADD COLUMN protocol INTEGER;
    `,
  },
  {
    version: 12,
    description: 'the highest task record seq written, kept when its task is forgotten',
    sql: (q) => `
      -- Each batch raises it to its highest record seq, and a new leader numbers on from
      -- above it: even when the tasks that held the highest seqs were forgotten meanwhile
      -- (retainFinished), seqs only grow, which a client's onEnded counts on to hear each
      -- end once (src/cluster/ended-feed.ts).
      CREATE TABLE ${q('marks')} (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        record_seq BIGINT NOT NULL
      );
      INSERT INTO ${q('marks')} (id, record_seq) SELECT 1, GREATEST(
        (SELECT coalesce(max(seq), 0) FROM ${q('task_records')}),
        (SELECT coalesce(max(history_seq), 0) FROM ${q('tasks')}));
    `,
  },
  {
    version: 13,
    description: "clients' cancellations, durable until the leader has applied them",
    sql: (q) => `
      -- A client's request to cancel a task (connectCluster's cancel), durable once inserted;
      -- the leader cancels the task, and deletes the request once that is durable.
      CREATE TABLE ${q('cancellations')} (
        seq BIGSERIAL PRIMARY KEY,
        task_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        requested_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 14,
    description: "clients' batches, taken in whole or not at all",
    sql: (q) => `
      -- The submissions of one batch (connectCluster's submitMany and submitBatch) share its
      -- id, inserted in one statement; the leader reads a batch whole and takes it in as
      -- system.submitMany does. A process from before this version takes its rows one by one.
      ALTER TABLE ${q('submissions')} ADD COLUMN batch TEXT;
      CREATE INDEX ON ${q('submissions')} (batch) WHERE batch IS NOT NULL;
    `,
  },
];
