// Service-level classes of work (QoS): what a class promises (its latency SLO, from submit
// to finish), how much of the agents it gets under contention (its weight), how much of it
// may wait (its queue cap) and what happens to work beyond that (its overload policy).
// Pure rules: the runtime asks `admissionOf` where a submitted task goes, and never
// decides it itself.

/** What happens to a task submitted to a full class. */
export type OverloadPolicy =
  /** Refused at submit with `Overloaded` (and a retry-after estimate). */
  | 'reject'
  /** Admitted to the named class instead, if it has room (itself by its own policy). */
  | { readonly degradeTo: string };

export interface QosClass {
  /** Latency objective, submit to finish, in ms. */
  readonly sloMs: number;
  /** Share of agent slots under contention, relative to the other classes. Default 1. */
  readonly weight?: number;
  /** Unfinished tasks of the class at most. Default: no cap of its own. */
  readonly queueCap?: number;
  /** What a task submitted to the class at its cap meets. Default `reject`. */
  readonly overload?: OverloadPolicy;
}

export interface QosOptions {
  readonly classes: Readonly<Record<string, QosClass>>;
  /** The class of a task that names none. */
  readonly default: string;
}

/** Where a submitted task goes: a class with room, or refused because `full` was full. */
export type Admission =
  | { readonly admitted: true; readonly qos: string }
  | { readonly admitted: false; readonly full: string };

/**
 * The class a task asking for `requested` is admitted to, given each class's unfinished
 * count (`unfinishedOf`, including tasks admitted earlier in the same batch). A full class
 * refuses or degrades by its policy; a degradation chain ends at a class with room or at
 * one that refuses. Chains are acyclic (checked with the options).
 */
export function admissionOf(
  options: QosOptions,
  requested: string,
  unfinishedOf: (qos: string) => number,
): Admission {
  let name = requested;
  for (;;) {
    const cls = options.classes[name];
    if (cls === undefined || cls.queueCap === undefined || unfinishedOf(name) < cls.queueCap)
      return { admitted: true, qos: name };
    const policy = cls.overload ?? 'reject';
    if (policy === 'reject') return { admitted: false, full: name };
    name = policy.degradeTo;
  }
}

/** The classes a degradation from `name` passes through, in order (for cycle checks). */
export function degradationChain(options: QosOptions, name: string): string[] {
  const chain = [name];
  for (let at = options.classes[name]; at; ) {
    const policy = at.overload;
    if (policy === undefined || policy === 'reject') break;
    if (chain.includes(policy.degradeTo)) return [...chain, policy.degradeTo];
    chain.push(policy.degradeTo);
    at = options.classes[policy.degradeTo];
  }
  return chain;
}

/** When a task is due: by its deadline or its class's SLO from submit, whichever comes first. */
export function dueAtOf(
  deadline: number | undefined,
  submittedAt: number,
  sloMs: number | undefined,
): number {
  return Math.min(deadline ?? Infinity, sloMs === undefined ? Infinity : submittedAt + sloMs);
}
