import { OverseerError } from './overseer-error.js';

/** What no declared agent can give a task. */
export interface MissingOffer {
  /**
   * Capabilities no declared agent offers; when each is offered but no one agent offers
   * them all, every capability the task needs. Empty when some agent offers them all.
   */
  readonly capabilities: readonly string[];
  /**
   * When some agent offers the capabilities: the resources, with the amount needed, that
   * none of those agents has enough of (all of them when each amount is met by some agent
   * but none meets them together). Empty when the capabilities are what is missing.
   */
  readonly resources: Readonly<Record<string, number>>;
}

/** No registered or declared agent offers a capability (or resource amount) the task needs. */
export class NoCapableAgent extends OverseerError {
  readonly code = 'NoCapableAgent';
  constructor(
    readonly taskId: string,
    readonly missing: MissingOffer,
  ) {
    super(`no agent can run task ${taskId}: none offers ${describe(missing)}`);
  }
}

function describe({ capabilities, resources }: MissingOffer): string {
  const parts: string[] = [];
  if (capabilities.length > 0)
    parts.push(
      `${capabilities.length === 1 ? 'capability' : 'capabilities'} ${capabilities.join(', ')}`,
    );
  const amounts = Object.entries(resources).map(([name, amount]) => `${name} ${amount}`);
  if (amounts.length > 0) parts.push(`enough ${amounts.join(', ')}`);
  return parts.length > 0 ? parts.join(' and ') : 'what it needs';
}
