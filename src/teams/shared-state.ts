// A team run's shared context, versioned. Every write names the version it was based on and
// is refused unless that is still the current one (optimistic concurrency), so a step that
// worked from an old read can never overwrite what another step wrote meanwhile.
import { StaleState } from '../errors/index.js';

/** The state at one version. `value` is deeply frozen: a reader cannot change shared state. */
export interface StateSnapshot<T> {
  readonly version: number;
  readonly value: Readonly<T>;
}

/** The fields a write sets, or a function of the current value that returns them. */
export type StatePatch<T> = Partial<T> | ((value: Readonly<T>) => Partial<T>);

/** One accepted write: it made `version` from `basedOn`, which is always `version - 1`. */
export interface StateWrite<T> {
  readonly version: number;
  readonly writer: string;
  readonly basedOn: number;
  /** The fields it set, as stored: a frozen copy. */
  readonly patch: Readonly<Partial<T>>;
}

/** What `withFreshState` needs of a state: `SharedState`, or a stand-in in tests. */
export interface VersionedState<T> {
  read(): StateSnapshot<T>;
  write(basedOn: number, patch: StatePatch<T>, writer: string): { version: number };
}

/**
 * A team run's shared context. It starts at version 0 with `initial`; each accepted write adds
 * one. Values are copied with `structuredClone` and frozen, plain objects and arrays all the
 * way down (keep the context JSON-like: a Map, Set or Date inside stays changeable through its
 * methods). A run is bounded, so the history keeps every write.
 */
export class SharedState<T extends Record<string, unknown>> implements VersionedState<T> {
  #version = 0;
  #value: Readonly<T>;
  readonly #history: StateWrite<T>[] = [];

  constructor(initial: T) {
    this.#value = frozenCopy(initial);
  }

  read(): StateSnapshot<T> {
    return { version: this.#version, value: this.#value };
  }

  /**
   * Sets the fields of `patch` (or of what it returns, given the current value) as `writer`.
   * @throws StaleState when `basedOn` is not the current version; nothing changes then.
   */
  write(basedOn: number, patch: StatePatch<T>, writer: string): { version: number } {
    this.#refuseUnlessCurrent(basedOn, writer);
    const fields = typeof patch === 'function' ? patch(this.#value) : patch;
    // A patch function may itself have written: check again before applying.
    this.#refuseUnlessCurrent(basedOn, writer);
    const change = frozenCopy(fields);
    this.#value = Object.freeze({ ...this.#value, ...change });
    this.#version += 1;
    this.#history.push(Object.freeze({ version: this.#version, writer, basedOn, patch: change }));
    return { version: this.#version };
  }

  /** Every accepted write, oldest first. */
  history(): readonly StateWrite<T>[] {
    return [...this.#history];
  }

  #refuseUnlessCurrent(basedOn: number, writer: string): void {
    if (basedOn !== this.#version) throw new StaleState(basedOn, this.#version, writer);
  }
}

export interface FreshStateOptions {
  /** Attempts in all, the first included. At least one attempt is always made. */
  readonly maxTries: number;
  /** Who writes, as the history records it. */
  readonly writer: string;
}

/**
 * Runs `step` on a fresh read of `state` and writes what it returns, based on that read. When
 * another write landed meanwhile (StaleState), runs `step` again on the new state, up to
 * `maxTries` attempts. Any other error from `step` or the write ends it at once.
 * @returns the version the write made, and the attempts it took.
 * @throws StaleState, the last one, when every attempt was overtaken by another write.
 */
export async function withFreshState<T>(
  state: VersionedState<T>,
  step: (snapshot: StateSnapshot<T>) => Promise<Partial<T>>,
  options: FreshStateOptions,
): Promise<{ version: number; tries: number }> {
  for (let tries = 1; ; tries++) {
    const snapshot = state.read();
    const patch = await step(snapshot);
    try {
      return { version: state.write(snapshot.version, patch, options.writer).version, tries };
    } catch (error) {
      // Written so that a maxTries of NaN or below 1 still means one attempt, never endless ones.
      if (!(error instanceof StaleState && tries < options.maxTries)) throw error;
    }
  }
}

function frozenCopy<V>(value: V): V {
  return deepFreeze(structuredClone(value));
}

/** Freezes `value` and everything reachable through its own properties. */
function deepFreeze<V>(value: V): V {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    // A typed array with elements cannot be frozen (TypeError); it stays as it is.
    if (typeof next !== 'object' || next === null || Object.isFrozen(next)) continue;
    if (ArrayBuffer.isView(next)) continue;
    Object.freeze(next);
    for (const key of Reflect.ownKeys(next)) pending.push(Reflect.get(next, key));
  }
  return value;
}
