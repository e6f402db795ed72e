// The cluster protocol: how a supervisor and the nodes hosting its agents speak through the
// database (placement rows, mailbox rows and the messages in them). Processes of one
// protocol only work with each other: a node claims only placements of its own protocol,
// and says so when it leaves others waiting; a supervisor says so when the only nodes
// offering an agent it placed speak another. A rolling upgrade therefore runs: new nodes,
// then new supervisors, then the old ones stopped (docs/distributed.md, "Upgrading").
//
// 1: unnumbered channel rows (before numbered, acknowledged messages; no protocol column).
// 2: numbered, acknowledged channel messages; the protocol in nodes' and placements' rows.

/** The protocol this overseer speaks. Raise it with any change to what crosses the database. */
export const CLUSTER_PROTOCOL = 2;

/** A process's protocol as its row holds it (null: written by one from before protocols). */
export type ProtocolColumn = number | null;

/** How a row's protocol reads in a message. */
export function protocolName(protocol: ProtocolColumn): string {
  return protocol === null
    ? 'no cluster protocol (an overseer from before they were numbered)'
    : `cluster protocol ${protocol}`;
}
