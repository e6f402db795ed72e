// Leases on running tasks: the pattern's LockedBy (owner) and CompleteBy (until). One task
// has at most one lease; it is the owner's until the clock reaches `until`, after which it
// has expired and anyone may claim the task. Times are passed in, never read from a clock.

export interface Lease {
  readonly taskId: string;
  /**
   * Who holds it: an agent id, ideally with the process's incarnation (`agent:img-1@run-7`),
   * so a restarted process never mistakes its predecessor's lease for its own.
   */
  readonly owner: string;
  /** The attempt the lease covers. */
  readonly attempt: number;
  /** Clock time the lease was first claimed, in ms. */
  readonly claimedAt: number;
  /** Clock time at which it expires unless renewed, in ms. Expired when `until <= now`. */
  readonly until: number;
}

export interface LeaseClaim {
  readonly taskId: string;
  readonly owner: string;
  readonly attempt: number;
  /** Clock time now, in ms. */
  readonly now: number;
  /** Clock time the lease lasts until, in ms. */
  readonly until: number;
}

export interface LeaseRenewal {
  readonly taskId: string;
  readonly owner: string;
  /** Clock time now, in ms. */
  readonly now: number;
  /** The new expiry, in clock ms. */
  readonly until: number;
}

/** What a claim or a renewal came to: the lease held now, or whoever holds it instead. */
export type LeaseResult =
  | { readonly ok: true; readonly lease: Lease }
  | {
      readonly ok: false;
      /** The lease in the way: another owner's live lease, or the caller's own expired one. */
      readonly heldBy: Lease | undefined;
    };

export const isExpired = (lease: Lease, now: number): boolean => lease.until <= now;

/**
 * A claim succeeds when nobody holds the task, its lease has expired, or the claimant
 * already holds it (a re-claim moves `attempt` and `until`, keeping `claimedAt`).
 */
export function decideClaim(current: Lease | undefined, claim: LeaseClaim): LeaseResult {
  if (current !== undefined && current.owner !== claim.owner && !isExpired(current, claim.now)) {
    return { ok: false, heldBy: current };
  }
  const keeps = current !== undefined && current.owner === claim.owner;
  return {
    ok: true,
    lease: {
      taskId: claim.taskId,
      owner: claim.owner,
      attempt: claim.attempt,
      claimedAt: keeps ? current.claimedAt : claim.now,
      until: claim.until,
    },
  };
}

/**
 * A renewal succeeds only while the owner's lease is live: once it has expired the task
 * may already be rescheduled, so the old holder must claim again, not extend.
 */
export function decideRenewal(current: Lease | undefined, renewal: LeaseRenewal): LeaseResult {
  if (current === undefined || current.owner !== renewal.owner || isExpired(current, renewal.now)) {
    return { ok: false, heldBy: current };
  }
  return { ok: true, lease: { ...current, until: renewal.until } };
}
