// One statement of a PostgreSQL store batch, with what it must do for the batch to stand.

/** One statement of a batch. */
export interface SqlOp {
  readonly text: string;
  readonly values: readonly unknown[];
  /** Fails the batch unless the statement changed (or returned) at least one row. */
  readonly mustAffect?: string;
  /** It claims the owner row itself (conditionally): the batch's fence is this statement. */
  readonly claims?: boolean;
}
