// The live view's reliability figure: how many agents run below their declared slots
// (adaptive concurrency) and how many have their circuit breaker open or half-open, in a
// few characters (`limited 2 open 1`); empty while every agent runs at full concurrency.
import type { AgentLimit } from '../observability/agent-limits.js';

export function limitsLine(
  limits: Readonly<Record<string, AgentLimit>>,
  declared: (agentId: string) => number | undefined,
): string {
  let limited = 0;
  let open = 0;
  let probing = 0;
  for (const [agentId, { limit, breaker }] of Object.entries(limits)) {
    if (breaker === 'open') open++;
    else if (breaker === 'half-open') probing++;
    else if (limit < (declared(agentId) ?? limit)) limited++;
  }
  return [
    limited > 0 ? `limited ${limited}` : '',
    open > 0 ? `open ${open}` : '',
    probing > 0 ? `probing ${probing}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
