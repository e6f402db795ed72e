// Faults a simulation injects: drawn per attempt from seeded rates, or scheduled at clock
// times. Every fault is something real agents do: throw, hang, go silent, crash, slow
// down, return output that fails its schema.

export type HandlerFault =
  /** The handler throws an ordinary (retryable) error. */
  | 'throw'
  /** The handler throws NonRetryableError. */
  | 'throw-fatal'
  /** Never settles and ignores its signal, but keeps heartbeating. */
  | 'hang'
  /** Never settles, ignores its signal and stops heartbeating. */
  | 'silent'
  /** Throws AgentCrash: the agent itself fails. */
  | 'crash'
  /** Takes `slowFactor` times longer (exceeding a timeout if it has one). */
  | 'slow'
  /** Returns output that fails any output schema. */
  | 'invalid-output'
  /**
   * Takes `slowFactor` times longer and ignores its abort signal: a handler that does not
   * watch its signal, finishing late (its agent is restarted if that is past abortGraceMs).
   */
  | 'late';

export interface FaultRates {
  readonly throw?: number;
  readonly 'throw-fatal'?: number;
  readonly hang?: number;
  readonly silent?: number;
  readonly crash?: number;
  readonly slow?: number;
  readonly 'invalid-output'?: number;
  readonly late?: number;
}

export type ScheduledFault =
  | { readonly atMs: number; readonly kind: 'cancel'; readonly taskId: string }
  /** The agent leaves: removed from its supervisor, its tasks rescheduled. */
  | { readonly atMs: number; readonly kind: 'leave'; readonly agentId: string }
  /** A new agent joins the root supervisor. */
  | {
      readonly atMs: number;
      readonly kind: 'join';
      readonly agent: import('./sim-agent.js').SimAgent;
    }
  /** The next attempt started on the agent at or after `atMs` suffers `fault`. */
  | {
      readonly atMs: number;
      readonly kind: 'handler';
      readonly agentId: string;
      readonly fault: HandlerFault;
    };

export interface FaultPlan {
  /** Probability per attempt of each handler fault, drawn from the simulation's seed. */
  readonly rates?: FaultRates;
  readonly scheduled?: readonly ScheduledFault[];
  /** Duration multiplier of `slow`. Default 10. */
  readonly slowFactor?: number;
}

const ORDER: readonly HandlerFault[] = [
  'throw',
  'throw-fatal',
  'hang',
  'silent',
  'crash',
  'slow',
  'invalid-output',
  'late',
];

/** The fault for one attempt, from one random sample: faults split [0, 1) by their rates. */
export function drawFault(rates: FaultRates | undefined, sample: number): HandlerFault | undefined {
  if (!rates) return undefined;
  let edge = 0;
  for (const fault of ORDER) {
    edge += rates[fault] ?? 0;
    if (sample < edge) return fault;
  }
  return undefined;
}
