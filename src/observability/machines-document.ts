// docs/machines.md, generated from the machines themselves. A test fails when the
// committed file differs, so the diagrams cannot go stale.
import { toMermaid } from './diagram-formats.js';
import { lifecycleMachines, machineGraph } from './machine-graph.js';

export function machinesDocument(): string {
  const sections = Object.entries(lifecycleMachines).map(([name, machine]) =>
    [`## ${name}`, '', '```mermaid', toMermaid(machineGraph(machine)), '```', ''].join('\n'),
  );
  return [
    '# The lifecycle machines',
    '',
    'Generated from `machines/` by `npm run docs:machines`; do not edit by hand. A test fails',
    'when this file no longer matches the machines. `npx overseer machines --format dot|json`',
    'prints the same graphs in other forms. What each state means: `docs/architecture.md`.',
    '',
    ...sections,
  ].join('\n');
}
