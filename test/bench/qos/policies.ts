// The scheduling policies the QoS benchmark compares, each a system configuration over the
// same agents and work. The QoS configuration lives here alone, so an option the system
// gains (admission by predicted finish, overload modes, adaptive concurrency) is switched
// on in one place and every figure and plot follows.
import type { QosClass, RetryPolicy, SystemOptions } from '../../../src/index.js';
import { CLASSES, type ClassName } from './classes.js';
import { CAPACITY_PER_S } from './workload.js';

export type PolicyName = 'priority-fifo' | 'global-edf' | 'overseer-qos' | 'overseer-qos+adaptive';

export interface Policy {
  readonly name: PolicyName;
  /** What it means, for the report. */
  readonly description: string;
  /** Whether batches are submitted to QoS classes (`submitBatch` with `qos`). */
  readonly classes: boolean;
  /** The system's options besides agents, clock and random. */
  readonly options: Omit<SystemOptions, 'agents' | 'clock' | 'random'>;
}

/**
 * What of overseer's QoS is switched on. Class options that default on (admission by
 * predicted finish, the overload controller, both in progress for issue 14) apply to the
 * classes below without a switch; add one here to compare a run with them off.
 */
export interface QosSwitches {
  /**
   * Per-class queue caps (an option of today): a class at its cap refuses a batch with
   * `Overloaded`. The cap is what all agents together could finish within the class's
   * SLO, so it refuses only work that could not make it behind what the class holds.
   */
  readonly queueCaps: boolean;
  /**
   * Adaptive concurrency and a circuit breaker per agent (`adaptiveConcurrency: true`, with
   * the limiter's defaults). Off by default: with agents of one slot the limit has nowhere
   * to go, so only the breaker can act; the degraded-agent scenario runs it both ways.
   */
  readonly adaptive: boolean;
}

export const DEFAULT_SWITCHES: QosSwitches = { queueCaps: false, adaptive: false };

/**
 * Weights of the classes' fair shares of agent slots under contention. Interactive work
 * must not wait behind the others: its weight is far above theirs, which makes it strict
 * priority over them with fair share (10:1) below it. With 6/3/1 interactive gets 60% of
 * the slots, less than its demand in a burst at 2x (0.64 of capacity): 0.78 on time.
 */
const WEIGHTS: Readonly<Record<ClassName, number>> = { interactive: 1000, standard: 10, batch: 1 };

/** One retry policy for every policy: an attempt failed by a degraded agent retries soon. */
export const RETRY: RetryPolicy = {
  maxAttempts: 3,
  backoff: { kind: 'exponential', initialDelayMs: 100, factor: 2, maxDelayMs: 2_000, jitter: 0.2 },
};

const queueCapOf = (sloMs: number) => Math.ceil((CAPACITY_PER_S * sloMs) / 1_000);

function qosClasses(switches: QosSwitches): Record<string, QosClass> {
  const classes: Record<string, QosClass> = {};
  for (const c of CLASSES)
    classes[c.name] = {
      sloMs: c.sloMs,
      weight: WEIGHTS[c.name],
      ...(switches.queueCaps ? { queueCap: queueCapOf(c.sloMs), overload: 'reject' } : {}),
    };
  return classes;
}

export function overseerQos(switches: QosSwitches = DEFAULT_SWITCHES): Policy {
  return {
    name: switches.adaptive ? 'overseer-qos+adaptive' : 'overseer-qos',
    description: `QoS classes, weights ${Object.values(WEIGHTS).join('/')}, EDF within a class${
      switches.queueCaps ? ', queue caps' : ''
    }; admission by predicted finish and the overload controller at their defaults${
      switches.adaptive ? '; adaptive concurrency and circuit breaker per agent' : ''
    }`,
    classes: true,
    options: {
      retry: RETRY,
      qos: { classes: qosClasses(switches), default: 'standard' },
      ...(switches.adaptive ? { adaptiveConcurrency: true } : {}),
    },
  };
}

export function policies(switches: QosSwitches = DEFAULT_SWITCHES): Policy[] {
  return [
    {
      name: 'priority-fifo',
      description: 'no classes; priority interactive 2 > standard 1 > batch 0, FIFO within',
      classes: false,
      options: { retry: RETRY, order: 'priority' },
    },
    {
      name: 'global-edf',
      description: 'no classes; earliest deadline first across the queue',
      classes: false,
      options: { retry: RETRY, order: 'deadline' },
    },
    overseerQos(switches),
  ];
}
