// What a history checker reports: the invariant (numbered as in DESIGN.md), what went
// wrong, and the few events that show it.
import type { OverseerEvent } from '../../core/system-events.js';

export interface Violation {
  readonly invariant: number;
  readonly name: string;
  readonly message: string;
  /** The smallest excerpt of the history that shows the violation, in order. */
  readonly excerpt: readonly OverseerEvent[];
}

export type HistoryCheck = (
  history: readonly OverseerEvent[],
  context: CheckContext,
) => Violation[];

export interface CheckContext {
  /** Ids of every accepted task. */
  readonly accepted: readonly string[];
  /** Whether the run ended with every accepted task final. */
  readonly quiescent: boolean;
  /** Tasks are ordered by strict priority (no aging): enables invariant 4. */
  readonly strictPriority: boolean;
  readonly heartbeatTimeoutMs: number;
  /** Submissions the system refused, with what it threw. */
  readonly rejected: readonly { readonly error: unknown }[];
}

export const violation = (
  invariant: number,
  name: string,
  message: string,
  excerpt: readonly (OverseerEvent | undefined)[],
): Violation => ({
  invariant,
  name,
  message,
  excerpt: excerpt.filter((e): e is OverseerEvent => e !== undefined),
});
