// The reference scheduler of the Scheduler Agent Supervisor pattern's write-up: a loop
// that, on each scheduling tick, takes the next pending task from the store and assigns
// it to a free agent. One task per tick, as the example does; a tick is a macrotask.
export async function tickScheduler(n: number, agents: number): Promise<void> {
  const pending = Array.from({ length: n }, (_, i) => i);
  let free = agents;
  let done = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (next < pending.length && free > 0) {
        free--;
        next++;
        // The agent runs the task and reports back.
        Promise.resolve().then(() => {
          free++;
          if (++done === n) resolve();
        });
      }
      if (done < n) setImmediate(tick);
    };
    setImmediate(tick);
  });
}
