// The task lifecycle as the machine defines it (the server sends the graph), drawn as
// SVG: states in layers, transitions as arrows; the states the task went through are
// marked, its current state highlighted.
import { svg } from './element.js';

const W = 120;
const H = 34;
const GAP_X = 40;
const GAP_Y = 22;

export function drawLifecycle(graph, visited, current) {
  const pos = new Map(
    graph.nodes.map((n) => [
      n.state,
      { x: 10 + n.layer * (W + GAP_X), y: 10 + n.slot * (H + GAP_Y) },
    ]),
  );
  const rows = Math.max(...graph.nodes.map((n) => n.slot)) + 1;
  const root = svg('svg', {
    class: 'lifecycle',
    viewBox: `0 0 ${20 + graph.layers * (W + GAP_X)} ${20 + rows * (H + GAP_Y)}`,
    role: 'img',
    'aria-label': `task lifecycle, current state ${current}`,
    'data-testid': 'lifecycle',
  });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  defs.append(marker);
  root.append(defs);
  for (const edge of graph.edges) {
    const a = pos.get(edge.source);
    const b = pos.get(edge.target);
    if (!a || !b) continue;
    const forward = b.x > a.x;
    const [x1, x2] = forward
      ? [a.x + W, b.x]
      : b.x < a.x
        ? [a.x, b.x + W]
        : [a.x + W / 2, b.x + W / 2];
    const [y1, y2] =
      forward || b.x < a.x
        ? [a.y + H / 2, b.y + H / 2]
        : [a.y + (b.y > a.y ? H : 0), b.y + (b.y > a.y ? 0 : H)];
    const bend = forward ? 0 : 30;
    const line = svg('path', {
      d: `M ${x1} ${y1} C ${x1 + (forward ? 20 : 0)} ${y1 - bend}, ${x2 - (forward ? 20 : 0)} ${y2 - bend}, ${x2} ${y2}`,
      class: 'edge',
      'marker-end': 'url(#arrow)',
    });
    line.append(svg('title', {}, `${edge.source} → ${edge.target}: ${edge.label}`));
    root.append(line);
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.state);
    const cls = [
      'node',
      n.final ? 'final' : '',
      visited.has(n.state) ? 'visited' : '',
      n.state === current ? 'current' : '',
    ].join(' ');
    const g = svg('g', {
      class: cls,
      'data-state': n.state,
      ...(n.state === current ? { 'data-current': 'true' } : {}),
    });
    g.append(svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: 8 }));
    g.append(svg('text', { x: p.x + W / 2, y: p.y + H / 2 + 5, 'text-anchor': 'middle' }, n.state));
    root.append(g);
  }
  return root;
}
