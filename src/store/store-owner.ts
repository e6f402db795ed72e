// Who may use a store: one live system at a time. A system claims the store at start and
// renews its claim while it runs; another system is refused until the claim expires (its
// holder died without releasing it) or is released (its holder stopped).
import type { OwnerClaim, OwnerResult } from './store.js';

export interface OwnerRow {
  readonly holder: string;
  readonly until: number;
}

/** Whether `claim` may take the store from its current owner (none, itself, or expired). */
export function decideOwner(current: OwnerRow | undefined, claim: OwnerClaim): OwnerResult {
  if (current && current.holder !== claim.holder && current.until > claim.now)
    return { ok: false, holder: current.holder, until: current.until };
  return { ok: true };
}
