// What the commands that ask something of a cluster share: a client of the cluster at
// --db, closed after; a database it cannot reach (or a store it refuses) is exit 2, named.
import { type ClusterClient, connectCluster } from '../cluster/cluster-client.js';

/** Runs `use` with a client of the cluster at `db`; its exit code, or 2 naming an error. */
export async function withClusterClient(
  flags: { readonly db: string; readonly schema: string },
  out: (line: string) => void,
  use: (client: ClusterClient) => Promise<number>,
): Promise<number> {
  let client: ClusterClient;
  try {
    client = await connectCluster(flags.db, { schema: flags.schema });
  } catch (error) {
    out(`error: ${(error as Error).message}`);
    return 2;
  }
  try {
    return await use(client);
  } catch (error) {
    out(`error: ${(error as Error).message}`);
    return 2;
  } finally {
    await client.close();
  }
}
