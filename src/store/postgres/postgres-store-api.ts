// What a PostgreSQL store is to its users (postgres-store.ts makes one): its options, and
// what its tests, benchmarks and the cluster look at beyond the Store contract.
import type { Store } from '../store.js';
import type { ClusterPlace } from './cluster-place.js';

export interface PostgresStoreOptions {
  /** The PostgreSQL schema holding the store's tables. Default `overseer`. */
  readonly schema?: string;
  /** How long a batch is retried while the database is unreachable, in ms. Default 30,000. */
  readonly retryForMs?: number;
  /** Connections in the pool the store makes from a URL. Default 4. */
  readonly poolSize?: number;
  /**
   * The leader lease this store writes under (`lead()` of src/cluster/leadership.ts): every
   * batch checks, in its transaction, that the lease is still this holder's at this epoch,
   * and is refused (StoreDeposed) once another supervisor took over.
   */
  readonly leader?: { readonly holder: string; readonly epoch: number; readonly leaseMs?: number };
}

/** A PostgreSQL store, with what its tests and benchmarks look at. */
export interface PostgresStore extends Store {
  /** Where it is, without a password: `postgres://user@host:port/db#schema`. */
  readonly where: string;
  readonly schema: { readonly from: number; readonly to: number };
  /** Transactions committed, and batches sent again after a lost connection. */
  readonly commits: number;
  readonly retries: number;
  /** Its database and schema, where the cluster's processes meet. */
  readonly place: ClusterPlace;
  /**
   * Client requests taken in (src/cluster/submission-intake.ts): submissions (`seqs`: their
   * tasks appended just before, in this turn, so their rows go in the same transaction; the
   * refused ones' reasons kept), and cancellations (`cancellations`) whose effect is durable.
   */
  ingested(
    seqs: readonly number[],
    rejections: readonly { taskId: string; error: string }[],
    cancellations?: readonly number[],
  ): void;
}
