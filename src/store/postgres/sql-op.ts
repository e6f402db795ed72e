// One statement of a PostgreSQL store batch, with what it must do for the batch to stand.
import { createHash } from 'node:crypto';

/** One statement of a batch. */
export interface SqlOp {
  readonly text: string;
  /** Prepared once per connection under this name (see statementName). */
  readonly name?: string;
  readonly values: readonly unknown[];
  /** Fails the batch unless the statement changed (or returned) at least one row. */
  readonly mustAffect?: string;
  /** It claims the owner row itself (conditionally): the batch's fence is this statement. */
  readonly claims?: boolean;
}

const names = new Map<string, string>();

/**
 * A stable name for a statement's text, so each connection prepares it once and reuses the
 * plan (the set-based writes and the mailbox run the same few texts again and again).
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `ovsr_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}
