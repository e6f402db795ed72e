// The example of the Scheduler Agent Supervisor pattern's write-up (Microsoft's cloud
// design patterns), in process: on each scheduling tick the Scheduler takes the next
// pending step from the State Store and leases it to a free Agent (who runs it, and a
// complete-by time); the Agent reports back and the store marks the step processed; the
// Supervisor scans in-flight steps now and then and returns expired leases to pending.
// One step per tick, a tick being a macrotask (setImmediate): the write-up's loop with
// its polling interval taken to the minimum.

interface StepRecord {
  state: 'pending' | 'processing' | 'processed';
  lockedBy: number;
  completeBy: number;
  attempts: number;
}

/** Runs `n` no-op steps on `agents` agents; resolves when every step is processed. */
export function tickScheduler(n: number, agents: number, leaseMs = 30_000): Promise<void> {
  const store = new Map<number, StepRecord>();
  const pending: number[] = [];
  for (let id = 0; id < n; id++) {
    store.set(id, { state: 'pending', lockedBy: -1, completeBy: 0, attempts: 0 });
    pending.push(id);
  }
  const free = Array.from({ length: agents }, (_, i) => i);
  const inFlight = new Set<number>();
  const agent = async (step: number) => step; // the remote call, a no-op here
  let head = 0;
  let done = 0;
  return new Promise((resolve) => {
    const supervisor = setInterval(() => {
      const now = Date.now();
      for (const id of inFlight) {
        const step = store.get(id);
        if (!step || step.completeBy >= now) continue;
        step.state = 'pending';
        inFlight.delete(id);
        free.push(step.lockedBy);
        pending.push(id);
      }
    }, 1_000);
    const tick = () => {
      const id = pending[head];
      const step = id === undefined ? undefined : store.get(id);
      if (id !== undefined && step && free.length > 0) {
        const who = free.pop() as number;
        head++;
        step.state = 'processing';
        step.lockedBy = who;
        step.completeBy = Date.now() + leaseMs;
        step.attempts++;
        inFlight.add(id);
        void agent(id).then(() => {
          if (step.state !== 'processing' || step.lockedBy !== who) return; // lease lost
          step.state = 'processed';
          inFlight.delete(id);
          free.push(who);
          if (++done === n) {
            clearInterval(supervisor);
            resolve();
          }
        });
      }
      if (done < n) setImmediate(tick);
    };
    setImmediate(tick);
  });
}
