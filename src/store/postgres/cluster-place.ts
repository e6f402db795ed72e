// Where a cluster's processes meet: the database and schema of a PostgreSQL store. A system
// on a PostgreSQL store runs its remote agents there (src/cluster/).
import type { Pool } from 'pg';
import type { Store } from '../store.js';

export interface ClusterPlace {
  readonly pool: Pool;
  readonly schema: string;
  /** Names a table in the schema: `q('nodes')` is `"overseer"."nodes"`. */
  readonly q: (table: string) => string;
}

/** The store's cluster place, when it is a PostgreSQL store. */
export function clusterPlaceOf(store: Store | undefined): ClusterPlace | undefined {
  if (store?.kind !== 'postgres' || !('place' in store)) return undefined;
  return (store as { place: ClusterPlace }).place;
}
