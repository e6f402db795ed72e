// The names of the NOTIFY channels a cluster's processes wake each other on: one per
// recipient or topic, within the store's schema. (A channel name is an identifier: at most
// 63 bytes, so long names are shortened.)

/** The channel's name, for pg_notify(name, payload). */
export const notifyName = (schema: string, name: string) =>
  `ovsr_${Buffer.from(`${schema}/${name}`).toString('base64url').slice(0, 56)}`;

/** The channel as an identifier, for LISTEN and NOTIFY statements. */
export const wakeChannel = (schema: string, name: string) => `"${notifyName(schema, name)}"`;

/** Where the leader tells of tasks that ended: payload a JSON array of `{"taskId","state"}`. */
export const ENDED_TOPIC = 'ended';
/** Where clients tell the leader of new submissions. */
export const SUBMITTED_TOPIC = 'submitted';
/**
 * Where the leader tells of its tasks' progress: payload a JSON array of
 * `[taskId, progress, agentId, note?]`, each task's latest (progress-relay.ts).
 */
export const PROGRESS_TOPIC = 'progress';
