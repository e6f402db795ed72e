// The store layer: what a system persists to survive its process, and the stores it can use.
export type { Lease, LeaseClaim, LeaseRenewal, LeaseResult } from './lease.js';
export { memoryStore } from './memory-store.js';
export type { PostgresStore, PostgresStoreOptions } from './postgres/postgres-store.js';
export { postgresStore } from './postgres/postgres-store.js';
export type { SqliteStore } from './sqlite-store.js';
export { sqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store-options.js';
export type {
  CompactOptions,
  CompactResult,
  Store,
  StoreContents,
  StoredTeamRun,
} from './store.js';
export type {
  ActiveTaskState,
  AgentLifecycleRecord,
  Stored,
  StoredTaskSpec,
  TaskCancelledRecord,
  TaskCompletedRecord,
  TaskFailedRecord,
  TaskLifecycleRecord,
  TaskSubmittedRecord,
  TaskTerminalRecord,
  TaskTransitionRecord,
  TerminalTaskState,
} from './store-records.js';
export { STORE_RECORD_VERSION, STORE_SCHEMA_VERSION } from './store-records.js';
export type { StoredTask, StoredTaskStatus } from './stored-task.js';
