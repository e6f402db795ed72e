// A seeded pseudo-random step (mulberry32). Machines keep its 32-bit state in context,
// so jitter is deterministic, replayable and survives persistence of a snapshot.

export interface RandomStep {
  /** A sample in [0, 1). */
  readonly value: number;
  /** The state to use for the next sample. */
  readonly state: number;
}

export function nextRandom(state: number): RandomStep {
  const next = (state + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296, state: next };
}

/** A random source in [0, 1) that replays the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    const step = nextRandom(state);
    state = step.state;
    return step.value;
  };
}

/** A seed from a sample of an injected random source in [0, 1). */
export function seedFrom(random: () => number): number {
  return Math.floor(random() * 4_294_967_296) | 0;
}
