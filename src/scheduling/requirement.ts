// What a task needs of an agent: capabilities and resources. Tasks with equal needs form
// a requirement class and share one queue, so the scheduler compares class heads, never
// every queued task.
import { type Resources, resourcesFit } from '../../machines/resources.js';

export interface Requirement {
  readonly capabilities: readonly string[];
  readonly resources: Resources;
}

export function requirementKey(requirement: Requirement): string {
  const caps = [...requirement.capabilities].sort().join(',');
  const resources = Object.entries(requirement.resources)
    .filter(([, amount]) => amount > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, amount]) => `${name}=${amount}`)
    .join(',');
  return `${caps}|${resources}`;
}

/** Whether the agent could ever run such a task: it has every capability and enough limits. */
export function agentCanEverServe(
  agent: { readonly capabilities: ReadonlySet<string>; readonly limits: Resources },
  requirement: Requirement,
): boolean {
  return (
    requirement.capabilities.every((c) => agent.capabilities.has(c)) &&
    resourcesFit(agent.limits, {}, requirement.resources)
  );
}
