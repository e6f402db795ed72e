// What a store reports when it cannot do what was asked: data it must not read (newer,
// foreign, corrupt), writes it must not accept, and failures of the file underneath.
import { OverseerError } from '../errors/overseer-error.js';

/** The database was written by a newer overseer; it is refused rather than misread. */
export class StoreSchemaTooNew extends OverseerError {
  readonly code = 'StoreSchemaTooNew';
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `store ${path} has schema version ${found}, newer than the ${supported} this overseer ` +
        'understands: upgrade overseer to open it',
    );
  }
}

/** The file is not an overseer store: not SQLite at all, or another application's database. */
export class ForeignStoreFile extends OverseerError {
  readonly code = 'ForeignStoreFile';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} is not an overseer store: ${reason}`, options);
  }
}

/** A stored row cannot be read back: bad JSON, an unknown record kind, a missing field. */
export class CorruptStoreRecord extends OverseerError {
  readonly code = 'CorruptStoreRecord';
  constructor(
    /** The table (or memory collection) holding the record. */
    readonly table: string,
    /** Which record: its key, e.g. `seq=12` or `task_id=resize-1`. */
    readonly key: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`corrupt store record ${table}[${key}]: ${problem}`, options);
  }
}

/**
 * A record the store cannot accept: malformed, not JSON-serializable, for a task it never
 * saw, or a second submission of the same id. It means a bug in the caller; nothing is written.
 */
export class InvalidStoreRecord extends OverseerError {
  readonly code = 'InvalidStoreRecord';
  constructor(
    /** The task or agent the record is about, `?` when it names none. */
    readonly subject: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`store cannot accept a record for ${subject}: ${problem}`, options);
  }
}

/**
 * The task already has its terminal record. A store keeps exactly one per task, so a late
 * completion after a cancellation (say) is refused and must not be reported as happened.
 */
export class TaskAlreadyTerminal extends OverseerError {
  readonly code = 'TaskAlreadyTerminal';
  constructor(
    readonly taskId: string,
    readonly state: string,
    readonly attempted: string,
  ) {
    super(`task ${taskId} is already ${state} in the store; ${attempted} refused`);
  }
}

/** The store file could not be opened or created. */
export class StoreOpenFailed extends OverseerError {
  readonly code = 'StoreOpenFailed';
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`cannot open store ${path}: ${messageOf(options.cause)}`, options);
  }
}

/** A batch of writes could not be committed; none of its records is durable. */
export class StoreWriteFailed extends OverseerError {
  readonly code = 'StoreWriteFailed';
  constructor(
    readonly path: string,
    readonly records: number,
    options: { cause: unknown },
  ) {
    super(
      `store ${path} failed to commit ${records} write(s): ${messageOf(options.cause)}`,
      options,
    );
  }
}

/** The store was closed; `operation` names the call that came after. */
export class StoreClosed extends OverseerError {
  readonly code = 'StoreClosed';
  constructor(readonly operation: string) {
    super(`cannot ${operation}: the store is closed`);
  }
}

const messageOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);
