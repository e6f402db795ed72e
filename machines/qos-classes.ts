// Service-level classes of work (QoS): what a class promises (its latency SLO, from submit
// to finish), how much of the agents it gets under contention (its weight), how much of it
// may wait (its queue cap) and what happens to work beyond that (its overload policy).
// Pure rules: the runtime asks `admissionOf` where a submitted task goes, and never
// decides it itself.

/** What happens to a task submitted to a full class. */
export type OverloadPolicy =
  /** Refused at submit with `Overloaded` (and a retry-after estimate). */
  | 'reject'
  /**
   * The submission waits (nothing of it stored) until the class has room, then is admitted;
   * after the class's `maxDelayMs` it is refused with `Overloaded` as under `reject`.
   */
  | 'delay'
  /** Admitted to the named class instead, if it has room (itself by its own policy). */
  | { readonly degradeTo: string };

export interface QosClass {
  /** Latency objective, submit to finish, in ms. */
  readonly sloMs: number;
  /** Share of agent slots under contention, relative to the other classes. Default 1. */
  readonly weight?: number;
  /** Unfinished tasks of the class at most. Default: no cap of its own. */
  readonly queueCap?: number;
  /**
   * What a task meets when the class is at its cap, when it is predicted to finish past its
   * SLO or deadline, or while the class is shedding load. Default `reject`.
   */
  readonly overload?: OverloadPolicy;
  /** Under `delay`, how long a submission may wait for room, ms. Default `sloMs`. */
  readonly maxDelayMs?: number;
  /**
   * Refuse (or delay, or degrade) a task predicted to finish after its SLO or deadline,
   * from the class's measured run times and the work queued ahead. Default true.
   */
  readonly admitByPrediction?: boolean;
  /**
   * The overload controller (machines/class-controller.ts): queueing delay `targetMs`
   * (default `sloMs / 2`) exceeded for `intervalMs` (default `sloMs / 2`) makes the class
   * overloaded: freshest first and expired work swept out; `false` turns it off.
   */
  readonly overloadControl?: false | { readonly targetMs?: number; readonly intervalMs?: number };
}

export interface QosOptions {
  readonly classes: Readonly<Record<string, QosClass>>;
  /** The class of a task that names none. */
  readonly default: string;
}

/** Why a class cannot take a task now (machines/…: the runtime's `QosRejection`). */
export type Refusal = 'queue-cap' | 'predicted-late' | 'shedding';

/**
 * Where a submitted task goes: a class that takes it, or refused by class `full` for
 * `reason` (`wait`: that class's policy is `delay`, so the submission may wait for room).
 */
export type Admission =
  | { readonly admitted: true; readonly qos: string }
  | {
      readonly admitted: false;
      readonly full: string;
      readonly reason: Refusal;
      readonly wait: boolean;
    };

/**
 * The class a task asking for `requested` is admitted to. `refusalOf` says why a class
 * cannot take it now (its cap, including tasks admitted earlier in the same batch; a
 * predicted late finish; shedding), or undefined when it can. A class that cannot refuses,
 * delays or degrades by its policy; a degradation chain ends at a class that takes it or
 * at one that refuses. Chains are acyclic (checked with the options).
 */
export function admissionOf(
  options: QosOptions,
  requested: string,
  refusalOf: (qos: string) => Refusal | undefined,
): Admission {
  let name = requested;
  for (;;) {
    const cls = options.classes[name];
    const reason = cls === undefined ? undefined : refusalOf(name);
    if (cls === undefined || reason === undefined) return { admitted: true, qos: name };
    const policy = cls.overload ?? 'reject';
    if (policy === 'reject' || policy === 'delay')
      return { admitted: false, full: name, reason, wait: policy === 'delay' };
    name = policy.degradeTo;
  }
}

/** The classes a degradation from `name` passes through, in order (for cycle checks). */
export function degradationChain(options: QosOptions, name: string): string[] {
  const chain = [name];
  for (let at = options.classes[name]; at; ) {
    const policy = at.overload;
    if (policy === undefined || typeof policy === 'string') break;
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
