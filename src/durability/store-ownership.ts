// One live system per store: the system claims the store when it starts, renews the claim
// on its clock while it runs, and releases it when it stops. A second system on the same
// store is refused with StoreInUse until the claim is released or expires (its holder died).
import { hostname } from 'node:os';
import type { SystemClock } from '../core/clock.js';
import { StoreClosed, StoreInUse } from '../errors/index.js';
import type { OwnerResult, Store } from '../store/store.js';

export class StoreOwnership {
  readonly holder: string;
  #timer: unknown;

  constructor(
    private readonly store: Store,
    private readonly clock: SystemClock,
    /** How long a claim lasts without renewal, in ms; it is renewed every half of it. */
    private readonly claimMs: number,
    runId: string,
    /** Another system took the store over (this one stalled past its claim). */
    private readonly onLost: (holder: string, until: number) => void,
  ) {
    this.holder = `${hostname()}:${process.pid}:${runId}`;
    // A write refused because another system took the store over: this one must not go on.
    store.watchOwner?.((holder) => {
      if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      onLost(holder ?? 'nobody', this.clock.now());
    });
  }

  /**
   * Claims the store; throws StoreInUse naming the live holder. A holder whose process on
   * this host no longer runs (it crashed) is taken over at once, without waiting for its
   * claim to expire.
   */
  claim(): void {
    const now = this.clock.now();
    const claim = { holder: this.holder, now, until: now + this.claimMs };
    let result = this.store.claimOwner(claim);
    if (!result.ok && holderIsDead(result.holder)) {
      this.store.releaseOwner(result.holder);
      result = this.store.claimOwner(claim);
    }
    if (!result.ok) throw new StoreInUse(result.holder, result.until);
    this.#renewLater();
  }

  release(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      this.store.releaseOwner(this.holder);
    } catch (error) {
      // Closed already (before its system stopped): its claim went with it.
      if (!(error instanceof StoreClosed)) throw error;
    }
  }

  #renewLater(): void {
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      const now = this.clock.now();
      let result: OwnerResult;
      try {
        // Taken over only if this process stalled past its claim: then it must not go on.
        result = this.store.claimOwner({ holder: this.holder, now, until: now + this.claimMs });
      } catch (error) {
        // Closed under its running system (closed before the system stopped): nothing to
        // renew any more, and a throw from this timer would end the process. Its writes fail
        // from now on, each refused or reported (store.write.failed), none silently.
        if (error instanceof StoreClosed) return;
        throw error;
      }
      if (result.ok) this.#renewLater();
      else this.onLost(result.holder, result.until);
    }, this.claimMs / 2);
  }
}

/** Whether a holder (`host:pid:run`) is a process of this host that no longer runs. */
export function holderIsDead(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user. ESRCH: no such process.
    return (error as { code?: unknown }).code === 'ESRCH';
  }
}
