// Recent completions per ms over a sliding window of the last N completions: the basis of
// QueueFull's retry-after hint.

export function completionRate(window: number) {
  const times: number[] = [];
  return {
    record(at: number) {
      times.push(at);
      if (times.length > window) times.shift();
    },
    perMs(now: number): number {
      const first = times[0];
      if (first === undefined || times.length < 2 || now <= first) return 0;
      return times.length / (now - first);
    },
  };
}
