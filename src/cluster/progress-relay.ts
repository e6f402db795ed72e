// The leader's relay of its tasks' progress to the cluster's clients (`onProgress`): each
// task's latest report, at most every `everyMs`, as notices on the progress topic. Progress
// is a gauge, not a record: nothing of it is stored, a notice nobody hears (a client not
// listening, the database away) is gone, and the task's next report brings the news.
import type { Pool } from 'pg';
import { noticePayloads } from '../store/postgres/notice-payloads.js';
import { notifyName, PROGRESS_TOPIC } from '../store/postgres/notify-names.js';
import type { OverseerSystem } from '../system/overseer-system.js';

/** How often the leader tells of progress at most, in ms. */
export const RELAY_EVERY_MS = 200;
/** A note is cut to this many characters, so any one report fits a notice. */
export const NOTE_CHARS = 500;

type Entry = [taskId: string, progress: number, agentId: string, note?: string];

export interface ProgressRelay {
  close(): void;
}

export function relayProgress(
  system: OverseerSystem,
  pool: Pool,
  schema: string,
  everyMs = RELAY_EVERY_MS,
): ProgressRelay {
  const latest = new Map<string, Entry>();
  const channel = notifyName(schema, PROGRESS_TOPIC);
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const payloads = noticePayloads([...latest.values()].map((entry) => JSON.stringify(entry)));
    latest.clear();
    // Best effort by design (see the top of this file): a failed notice is not sent again.
    pool
      .query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [channel, payloads])
      .catch(() => undefined);
  };
  const off = system.on('task.progress', ({ taskId, progress, agentId, note }) => {
    const entry: Entry = [taskId, progress, agentId];
    if (note !== undefined) entry.push(note.slice(0, NOTE_CHARS));
    latest.set(taskId, entry);
    if (timer) return;
    timer = setTimeout(flush, everyMs);
    timer.unref();
  });
  return {
    close() {
      off();
      clearTimeout(timer);
    },
  };
}
