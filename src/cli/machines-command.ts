// `overseer machines`: the lifecycle machines as Mermaid, Graphviz dot, JSON, or the
// whole docs/machines.md page (markdown); with a machine name, that machine alone.
import { toDot, toJson, toMermaid } from '../observability/diagram-formats.js';
import {
  lifecycleMachines,
  type MachineGraph,
  machineGraph,
} from '../observability/machine-graph.js';
import { machinesDocument } from '../observability/machines-document.js';

export const DIAGRAM_FORMATS = ['mermaid', 'dot', 'json', 'markdown'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];
/** The machines by name, in the order they print: task, agent, supervisor, agentLimiter. */
export const MACHINE_NAMES: readonly string[] = Object.keys(lifecycleMachines);

/**
 * Prints every machine, or only `machine` (one of MACHINE_NAMES; the CLI refuses others).
 * JSON is always one document: an object keyed by machine name, or the one machine's graph.
 */
export function machinesCommand(
  format: DiagramFormat,
  out: (text: string) => void,
  machine?: string,
): void {
  if (machine !== undefined) {
    const one = Object.hasOwn(lifecycleMachines, machine) ? lifecycleMachines[machine] : undefined;
    if (!one) throw new RangeError(`no machine "${machine}": ${MACHINE_NAMES.join(', ')}`);
    out(render(format, machine, machineGraph(one)));
    return;
  }
  if (format === 'markdown') {
    out(machinesDocument());
    return;
  }
  const graphs = Object.entries(lifecycleMachines).map(
    ([name, m]) => [name, machineGraph(m)] as const,
  );
  if (format === 'json') {
    out(JSON.stringify(Object.fromEntries(graphs), null, 2));
    return;
  }
  for (const [name, graph] of graphs) {
    if (format === 'mermaid') out(`%% ${name}`);
    out(render(format, name, graph));
  }
}

function render(format: DiagramFormat, name: string, graph: MachineGraph): string {
  if (format === 'dot') return toDot(graph);
  if (format === 'json') return toJson(graph);
  if (format === 'markdown')
    return [`## ${name}`, '', '```mermaid', toMermaid(graph), '```'].join('\n');
  return toMermaid(graph);
}
