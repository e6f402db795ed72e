// `overseer machines`: the lifecycle machines as Mermaid, Graphviz dot, JSON, or the
// whole docs/machines.md page (markdown).
import { toDot, toJson, toMermaid } from '../observability/diagram-formats.js';
import { lifecycleMachines, machineGraph } from '../observability/machine-graph.js';
import { machinesDocument } from '../observability/machines-document.js';

export const DIAGRAM_FORMATS = ['mermaid', 'dot', 'json', 'markdown'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export function machinesCommand(format: DiagramFormat, out: (text: string) => void): void {
  if (format === 'markdown') {
    out(machinesDocument());
    return;
  }
  const render = format === 'dot' ? toDot : format === 'json' ? toJson : toMermaid;
  for (const [name, machine] of Object.entries(lifecycleMachines)) {
    if (format === 'mermaid') out(`%% ${name}`);
    out(render(machineGraph(machine)));
  }
}
