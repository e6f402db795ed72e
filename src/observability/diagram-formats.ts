// Renderings of a machine graph: Mermaid state diagrams (for docs/machines.md and GitHub),
// Graphviz dot, and JSON.
import type { GraphState, MachineGraph } from './machine-graph.js';

const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

export function toMermaid(graph: MachineGraph): string {
  const lines = ['stateDiagram-v2'];
  const declare = (state: GraphState, indent: string) => {
    for (const child of state.states) {
      if (child.states.length > 0) {
        lines.push(`${indent}state "${child.key}" as ${mermaidId(child.id)} {`);
        declare(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${child.key}" as ${mermaidId(child.id)}`);
      }
      if (child.final) lines.push(`${indent}${mermaidId(child.id)} --> [*]`);
    }
    const initial = state.states.find((s) => s.key === state.initial);
    if (initial) lines.push(`${indent}[*] --> ${mermaidId(initial.id)}`);
  };
  declare(graph.root, '  ');
  for (const edge of graph.edges) {
    if (edge.source === graph.root.id) continue; // machine-wide events that change no state
    lines.push(
      `  ${mermaidId(edge.source)} --> ${mermaidId(edge.target)} : ${edge.label.replace(/:/g, ' ')}`,
    );
  }
  return lines.join('\n');
}

export function toDot(graph: MachineGraph): string {
  const lines = [`digraph "${graph.id}" {`, '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  const declare = (state: GraphState) => {
    for (const child of state.states) {
      if (child.states.length > 0) {
        lines.push(`  subgraph "cluster_${child.id}" { label="${child.key}";`);
        declare(child);
        lines.push('  }');
      } else {
        lines.push(
          `  "${child.id}" [label="${child.key}"${child.final ? ', peripheries=2' : ''}];`,
        );
      }
    }
  };
  declare(graph.root);
  for (const edge of graph.edges) {
    if (edge.source === graph.root.id) continue;
    lines.push(`  "${edge.source}" -> "${edge.target}" [label="${edge.label}"];`);
  }
  lines.push('}');
  return lines.join('\n');
}

export function toJson(graph: MachineGraph): string {
  return JSON.stringify(graph, null, 2);
}
