// XState's timer scheduler (not task placement: that is scheduling/) cancels an actor's
// delayed events on every actor stop by scanning every delayed event in the whole actor
// system (xstate 5.33, `cancelAll`). A finished
// task's actor stops itself, so with 10,000 busy agents each holding a heartbeat timer,
// every task paid for 10,000 timers. This indexes scheduled ids by their source actor so
// `cancelAll` touches only that actor's own, while scheduling and cancelling still run
// XState's code (persisted `_scheduledEvents` stay exactly as XState keeps them).
import type { AnyActorRef } from 'xstate';

interface SchedulerLike {
  schedule(
    source: AnyActorRef,
    target: AnyActorRef,
    event: unknown,
    delay: number,
    id?: string,
  ): void;
  cancel(source: AnyActorRef, id: string): void;
  cancelAll(source: AnyActorRef): void;
}

const INDEXED = Symbol('overseer.indexedScheduler');

/** Index the delayed events of `root`'s actor system by source. Idempotent. */
export function indexScheduler(root: AnyActorRef): void {
  const scheduler = (root.system as unknown as { scheduler: SchedulerLike & { [INDEXED]?: true } })
    .scheduler;
  if (scheduler[INDEXED]) return;
  const { schedule, cancel } = scheduler;
  const bySource = new Map<AnyActorRef, Set<string>>();
  let anonymous = 0;
  scheduler.schedule = (source, target, event, delay, id) => {
    // XState names unnamed events with Math.random; a counter keeps runs reproducible.
    const key = id ?? `overseer:${++anonymous}`;
    let ids = bySource.get(source);
    if (!ids) {
      ids = new Set();
      bySource.set(source, ids);
    }
    ids.add(key);
    schedule.call(scheduler, source, target, event, delay, key);
  };
  scheduler.cancel = (source, id) => {
    bySource.get(source)?.delete(id);
    cancel.call(scheduler, source, id);
  };
  // Ids of events that already fired stay in the set until the actor stops or reuses
  // the id; cancelling them is a no-op in XState.
  scheduler.cancelAll = (source) => {
    const ids = bySource.get(source);
    if (!ids) return;
    bySource.delete(source);
    for (const id of ids) cancel.call(scheduler, source, id);
  };
  scheduler[INDEXED] = true;
}
