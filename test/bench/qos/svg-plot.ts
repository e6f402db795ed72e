// Line charts as a plain SVG string, no library: panels side by side, each with its axes,
// ticks, labels, optional dashed reference lines, one line per series, and one legend.

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly yRange: readonly [number, number];
  readonly series: readonly Series[];
  /** Dashed horizontal lines, e.g. the capacity, labelled at their left end. */
  readonly references?: readonly { readonly y: number; readonly label: string }[];
  /** Points to reach, drawn as open diamonds (one legend entry for all panels). */
  readonly targets?: readonly (readonly [number, number])[];
}

export interface Plot {
  readonly title: string;
  readonly xLabel: string;
  readonly xTicks: readonly number[];
  readonly xRange: readonly [number, number];
  readonly panels: readonly Panel[];
}

/** Colour-blind safe (Okabe-Ito), with a marker shape each so print in grey still reads. */
const COLOURS = ['#D55E00', '#0072B2', '#009E73', '#CC79A7', '#E69F00'];
const PANEL = { width: 440, height: 300, left: 64, top: 56, gap: 40 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const n = (x: number) => Number(x.toFixed(1));

function marker(i: number, x: number, y: number, colour: string): string {
  const r = 4;
  if (i % 3 === 0) return `<circle cx="${n(x)}" cy="${n(y)}" r="${r}" fill="${colour}"/>`;
  if (i % 3 === 1)
    return `<rect x="${n(x - r)}" y="${n(y - r)}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`;
  return `<path d="M${n(x)} ${n(y - r - 1)}L${n(x + r + 1)} ${n(y + r)}L${n(x - r - 1)} ${n(y + r)}Z" fill="${colour}"/>`;
}

/** Ticks at a round step (0.05, 0.1, 0.2, 0.25, 0.5, 1...) giving at most 8 of them. */
function ticks([lo, hi]: readonly [number, number]): number[] {
  const rounds = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10];
  const step = rounds.find((r) => (hi - lo) / r <= 8) ?? hi - lo;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9; k++) out.push(k * step);
  return out;
}

function diamond(x: number, y: number): string {
  const r = 6;
  return `<path d="M${n(x)} ${n(y - r)}L${n(x + r)} ${n(y)}L${n(x)} ${n(y + r)}L${n(x - r)} ${n(y)}Z" fill="none" stroke="#000" stroke-width="1.5"/>`;
}

function panelSvg(plot: Plot, panel: Panel, originX: number): string {
  const { width: w, height: h, top } = PANEL;
  const [x0, x1] = plot.xRange;
  const [y0, y1] = panel.yRange;
  const sx = (x: number) => originX + ((x - x0) / (x1 - x0)) * w;
  const sy = (y: number) => top + h - ((Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0)) * h;
  const out: string[] = [
    `<text x="${originX + w / 2}" y="${top - 12}" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`,
    `<rect x="${originX}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`,
  ];
  for (const y of ticks(panel.yRange))
    out.push(
      `<line x1="${originX}" x2="${originX + w}" y1="${n(sy(y))}" y2="${n(sy(y))}" stroke="#ddd"/>`,
      `<text x="${originX - 6}" y="${n(sy(y) + 4)}" text-anchor="end">${Number(y.toFixed(2))}</text>`,
    );
  for (const x of plot.xTicks)
    out.push(
      `<line x1="${n(sx(x))}" x2="${n(sx(x))}" y1="${top + h}" y2="${top + h + 5}" stroke="#444"/>`,
      `<text x="${n(sx(x))}" y="${top + h + 20}" text-anchor="middle">${x}x</text>`,
    );
  out.push(
    `<text x="${originX + w / 2}" y="${top + h + 42}" text-anchor="middle">${esc(plot.xLabel)}</text>`,
    `<text transform="translate(${originX - 44} ${top + h / 2}) rotate(-90)" text-anchor="middle">${esc(panel.yLabel)}</text>`,
  );
  for (const ref of panel.references ?? [])
    out.push(
      `<line x1="${originX}" x2="${originX + w}" y1="${n(sy(ref.y))}" y2="${n(sy(ref.y))}" stroke="#888" stroke-dasharray="6 4"/>`,
      `<text x="${originX + 6}" y="${n(sy(ref.y) - 5)}" fill="#666">${esc(ref.label)}</text>`,
    );
  for (const [x, y] of panel.targets ?? []) out.push(diamond(sx(x), sy(y)));
  panel.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const d = s.points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${n(sx(x))} ${n(sy(y))}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [x, y] of s.points) out.push(marker(i, sx(x), sy(y), colour));
  });
  return out.join('\n');
}

function legendSvg(names: readonly string[], y: number, width: number, target: boolean): string {
  const step = 170;
  const start = (width - step * (names.length + (target ? 1 : 0))) / 2;
  const entries = names.map((name, i) => {
    const x = start + i * step;
    const colour = COLOURS[i % COLOURS.length] as string;
    return [
      `<line x1="${x}" x2="${x + 28}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="2"/>`,
      marker(i, x + 14, y, colour),
      `<text x="${x + 36}" y="${y + 4}">${esc(name)}</text>`,
    ].join('\n');
  });
  if (target) {
    const x = start + names.length * step;
    entries.push(
      `${diamond(x + 14, y)}\n<text x="${x + 36}" y="${y + 4}">target (issue 14)</text>`,
    );
  }
  return entries.join('\n');
}

export function svgPlot(plot: Plot): string {
  const { width, height, left, top, gap } = PANEL;
  const total = plot.panels.length * (left + width) + (plot.panels.length - 1) * gap + 24;
  const tall = top + height + 96;
  const names = plot.panels[0]?.series.map((s) => s.name) ?? [];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${tall}" viewBox="0 0 ${total} ${tall}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(plot.title)}</title>`,
    `<rect width="${total}" height="${tall}" fill="#fff"/>`,
    `<text x="${total / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(plot.title)}</text>`,
    ...plot.panels.map((p, i) => panelSvg(plot, p, left + i * (left + width + gap))),
    legendSvg(
      names,
      top + height + 74,
      total,
      plot.panels.some((p) => (p.targets?.length ?? 0) > 0),
    ),
    '</svg>',
    '',
  ].join('\n');
}
