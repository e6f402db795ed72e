// The system's one source of time: XState's clock interface plus `now()`. XState's
// SimulatedClock satisfies it, so every scenario can run on simulated time.

export interface SystemClock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Wall-clock time in epoch ms, with Node's timers (unref'd: they never keep a process alive). */
export const realClock: SystemClock = {
  now: () => Date.now(),
  setTimeout: (fn, timeoutMs) => {
    const timer = setTimeout(fn, timeoutMs);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
