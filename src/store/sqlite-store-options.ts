// Options of `sqliteStore(path, options)`, each with its default.

export interface SqliteStoreOptions {
  /**
   * How hard a commit is pushed to disk. Default `full`.
   * - `full`: each commit (one per event loop turn with writes) fsyncs the WAL, so a flushed
   *   write survives power loss and OS crashes.
   * - `normal`: commits reach the OS but fsync only at checkpoints, so a flushed write
   *   survives the process being killed; power loss can lose the last commits, never
   *   corrupting the file.
   */
  readonly synchronous?: 'full' | 'normal';
  /**
   * How long a write waits for another connection's lock on the same file before failing
   * with StoreWriteFailed, in ms. It blocks the event loop while it waits. Default 5000.
   */
  readonly busyTimeoutMs?: number;
}

export const sqliteStoreDefaults = {
  synchronous: 'full',
  busyTimeoutMs: 5_000,
} as const satisfies Required<SqliteStoreOptions>;
