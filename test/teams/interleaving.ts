// A deterministic scheduler for async actors in tests: one actor runs at a time, until it
// awaits its `turn()`; a list of picks then chooses which parked actor goes on. No timers, so
// a run is a pure function of the actors and the picks, and fast-check can shrink it.

/** An actor: async work that awaits `turn()` wherever another actor may run meanwhile. */
export type Actor<R> = (turn: () => Promise<void>) => Promise<R>;

/**
 * Runs `actors` to their ends. Each is started in order and runs until it first parks; then,
 * again and again, `picks[k]` (modulo the number of parked actors, ordered by index; 0 once
 * the picks run out) chooses the actor resumed next, which runs until it parks or ends.
 * @returns how each actor ended, by index.
 */
export async function interleave<R>(
  actors: readonly Actor<R>[],
  picks: readonly number[],
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = [];
  const parked = new Map<number, () => void>();
  let paused = () => {};
  // Runs `go` and waits until the actor it sets running parks or ends.
  const slice = (go: () => void) =>
    new Promise<void>((resolve) => {
      paused = resolve;
      go();
    });
  const turn = (i: number) => () =>
    new Promise<void>((resume) => {
      parked.set(i, resume);
      paused();
    });
  let running = actors.length;
  for (const [i, actor] of actors.entries()) {
    await slice(() => {
      actor(turn(i))
        .then(
          (value) => {
            results[i] = { status: 'fulfilled', value };
          },
          (reason: unknown) => {
            results[i] = { status: 'rejected', reason };
          },
        )
        .finally(() => {
          running -= 1;
          paused();
        });
    });
  }
  for (let k = 0; running > 0; k++) {
    const waiting = [...parked.keys()].sort((a, b) => a - b);
    const next = waiting[(picks[k] ?? 0) % waiting.length];
    const resume = next === undefined ? undefined : parked.get(next);
    if (next === undefined || resume === undefined) throw new Error('no actor can go on');
    parked.delete(next);
    await slice(resume);
  }
  return results;
}
